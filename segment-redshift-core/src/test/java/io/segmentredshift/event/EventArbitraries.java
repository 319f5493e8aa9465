package io.segmentredshift.event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;

/** Generators of JSON values and events in the library's value model. */
final class EventArbitraries {
  private static final BigInteger BIG = BigInteger.TEN.pow(25);

  private EventArbitraries() {}

  /** Any Java string: control characters, unpaired surrogates, emoji, escapes. */
  static Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
        Arbitraries.of(
            "", "\"", "\\", "\n", "\u0000", "\ud83d\ude00", "caf\u00e9", "\u2028", "\ud800"));
  }

  /** Strings a JSON parser takes as field names: no unpaired surrogates. */
  static Arbitrary<String> keys() {
    return strings().filter(EventArbitraries::wellFormed);
  }

  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static Arbitrary<Object> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(Object.class::cast),
        Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L).map(Object.class::cast),
        Arbitraries.bigIntegers().between(BIG.negate(), BIG).map(Object.class::cast),
        Arbitraries.doubles()
            .withSpecialValue(-0.0)
            .withSpecialValue(Double.MIN_VALUE)
            .withSpecialValue(Double.MAX_VALUE)
            .withSpecialValue(0.1)
            .filter(Double::isFinite)
            .map(Object.class::cast),
        Combinators.combine(
                Arbitraries.bigIntegers().between(BIG.negate(), BIG),
                Arbitraries.integers().between(-400, 400))
            .as((unscaled, scale) -> (Object) new BigDecimal(unscaled, scale)));
  }

  static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
            strings().map(Object.class::cast),
            numbers(),
            Arbitraries.of(true, false).map(Object.class::cast))
        .injectNull(0.1);
  }

  /** A JSON value whose containers nest at most {@code depth} levels. */
  static Arbitrary<Object> values(int depth) {
    if (depth == 0) {
      return scalars();
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalars()),
        net.jqwik.api.Tuple.of(1, values(depth - 1).list().ofMaxSize(3).map(Object.class::cast)),
        net.jqwik.api.Tuple.of(1, objects(depth - 1).map(Object.class::cast)));
  }

  static Arbitrary<Map<String, Object>> objects(int depth) {
    return Arbitraries.maps(keys(), values(depth)).ofMaxSize(4);
  }

  static Arbitrary<Instant> instants() {
    return Arbitraries.oneOf(
        Arbitraries.longs()
            .between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
            .map(Instant::ofEpochSecond),
        Arbitraries.longs().between(0, 4_102_444_800_000L).map(Instant::ofEpochMilli),
        Arbitraries.longs()
            .between(0, 4_102_444_800L)
            .flatMap(
                s ->
                    Arbitraries.integers()
                        .between(0, 999_999_999)
                        .map(n -> Instant.ofEpochSecond(s, n))));
  }

  /** Any event that can be built: no Spec rule holds necessarily. */
  static Arbitrary<Event> events() {
    Arbitrary<String> ids = strings().injectNull(0.3);
    return Builders.withBuilder(() -> Event.builder(EventType.TRACK))
        .use(Arbitraries.of(EventType.class))
        .in(Event.Builder::type)
        .use(ids)
        .in(Event.Builder::messageId)
        .use(ids)
        .in(Event.Builder::anonymousId)
        .use(ids)
        .in(Event.Builder::userId)
        .use(instants())
        .withProbability(0.7)
        .in(Event.Builder::timestamp)
        .use(instants())
        .withProbability(0.5)
        .in(Event.Builder::originalTimestamp)
        .use(instants())
        .withProbability(0.5)
        .in(Event.Builder::sentAt)
        .use(instants())
        .withProbability(0.7)
        .in(Event.Builder::receivedAt)
        .use(ids)
        .in(Event.Builder::event)
        .use(ids)
        .in(Event.Builder::name)
        .use(ids)
        .in(Event.Builder::category)
        .use(ids)
        .in(Event.Builder::groupId)
        .use(ids)
        .in(Event.Builder::previousId)
        .use(objects(3))
        .withProbability(0.5)
        .in(Event.Builder::traits)
        .use(objects(3))
        .withProbability(0.5)
        .in(Event.Builder::properties)
        .use(objects(3))
        .withProbability(0.5)
        .in(Event.Builder::context)
        .use(objects(1))
        .withProbability(0.3)
        .in(Event.Builder::integrations)
        .use(values(1))
        .withProbability(0.3)
        .in(Event.Builder::version)
        .use(ids)
        .in(Event.Builder::channel)
        .use(ids)
        .in(Event.Builder::writeKey)
        .use(
            Arbitraries.maps(keys().filter(k -> !Event.SPEC_FIELDS.contains(k)), values(2))
                .ofMaxSize(3))
        .withProbability(0.3)
        .in(Event.Builder::extras)
        .build(Event.Builder::build);
  }

  /** Events that satisfy every rule of {@link EventValidator}, complete. */
  static Arbitrary<Event> validEvents() {
    return Combinators.combine(events(), instants(), instants())
        .as(
            (e, received, timestamp) -> {
              Event.Builder b = e.toBuilder();
              if (empty(e.messageId())) {
                b.messageId("m");
              }
              if (empty(e.userId())) {
                b.userId("u");
              }
              if (empty(e.event())) {
                b.event("E");
              }
              if (empty(e.groupId())) {
                b.groupId("g");
              }
              if (empty(e.previousId())) {
                b.previousId("p");
              }
              if (e.receivedAt() == null) {
                b.receivedAt(received);
              }
              if (e.timestamp() == null) {
                b.timestamp(timestamp);
              }
              return b.build();
            });
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
