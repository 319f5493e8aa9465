package io.segmentredshift.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The layout with its name caches gives exactly the rows and discards of the reference layout
 * (names computed afresh for every key of every event), for events with hostile keys: empty keys,
 * keys that sanitize to standard columns or to {@code context_}, reserved words, {@code ~} and
 * {@code /}, control characters, non-ASCII, keys long enough to be cut or to make the path too
 * long, nested objects and arrays; with a warm cache and a cold one.
 */
class LayoutEquivalenceTest {
  private static final Instant LOADED = Instant.parse("2024-03-06T00:00:00Z");
  private static final WarehouseLayout WARM_REDSHIFT = new WarehouseLayout(Dialect.redshift());
  private static final WarehouseLayout WARM_POSTGRES = new WarehouseLayout(Dialect.postgres());

  @Property(tries = 1000)
  void cachedNamesGiveTheRowsOfNamesComputedAfresh(@ForAll("events") Event event) {
    for (Dialect dialect : List.of(Dialect.redshift(), Dialect.postgres())) {
      EventRows expected = new ReferenceLayout(dialect).rows(event, LOADED);
      WarehouseLayout warm = dialect == Dialect.redshift() ? WARM_REDSHIFT : WARM_POSTGRES;
      assertEquals(expected, warm.rows(event, LOADED), dialect.name());
      assertEquals(expected, new WarehouseLayout(dialect).rows(event, LOADED), dialect.name());
    }
  }

  @Test
  void aCacheThatStartsAfreshKeepsGivingTheSameRows() {
    WarehouseLayout layout = new WarehouseLayout(Dialect.postgres());
    ReferenceLayout reference = new ReferenceLayout(Dialect.postgres());
    // More distinct key chains than the cache keeps, twice over.
    for (int i = 0; i < 2 * KeyNames.MAX_KEYS + 10; i++) {
      Map<String, Object> props = new LinkedHashMap<>();
      props.put("k" + i, Map.of("n" + (i % 7), (long) i));
      props.put("stable", "v");
      Event e =
          Event.builder(EventType.TRACK)
              .messageId("m" + i)
              .event("E" + (i % 5000))
              .properties(props)
              .build();
      assertEquals(reference.rows(e, LOADED), layout.rows(e, LOADED), "event " + i);
    }
  }

  private static final List<String> KEYS =
      List.of(
          "",
          "a",
          "userId",
          "user_id",
          "UserId",
          "id",
          "event",
          "name",
          "category",
          "groupId",
          "timestamp",
          "receivedAt",
          "context_x",
          "contextIp",
          "context",
          "open",
          "order",
          "3doctors",
          "~",
          "/",
          "a/b",
          "a~1b",
          "tab\there",
          "nul\u0000",
          "\u00e9clair",
          "\u65e5\u672c\u8a9e",
          "\ud83d\ude00",
          "Order Completed",
          "_5TEst");

  /** Cut to a dialect's limit, or (nested twice) a path over the name map's limit. */
  private static final List<String> LONG_KEYS =
      List.of("x".repeat(70), "y".repeat(130), "z".repeat(33_000));

  private static Arbitrary<String> keys() {
    return Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.of(KEYS)),
        Tuple.of(5, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(8)),
        Tuple.of(1, Arbitraries.of(LONG_KEYS)));
  }

  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(6).map(Object.class::cast),
        Arbitraries.of(
            "2024-03-05T10:11:12Z",
            "2024-03-05T10:11:12.1234567Z",
            "x\u0000y",
            "\ud800",
            "",
            "u-1",
            "Order Completed"),
        Arbitraries.longs().map(Object.class::cast),
        Arbitraries.of(1.5, -0.0, 1e300, 25.0).map(Object.class::cast),
        Arbitraries.of(true, false).map(Object.class::cast));
  }

  private static Arbitrary<Object> values(int depth) {
    if (depth == 0) {
      return scalars();
    }
    return Arbitraries.frequencyOf(
        Tuple.of(6, scalars()),
        Tuple.of(2, objects(depth - 1).map(Object.class::cast)),
        Tuple.of(1, scalars().list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l))));
  }

  private static Arbitrary<Map<String, Object>> objects(int depth) {
    return Arbitraries.maps(keys(), values(depth).injectNull(0.1)).ofMaxSize(4);
  }

  @Provide
  Arbitrary<Event> events() {
    Arbitrary<String> ids =
        Arbitraries.oneOf(
            Arbitraries.of("m-1", "u-1", "", "nul\u0000", "x".repeat(600)),
            Arbitraries.strings().withCharRange('a', 'z').ofLength(3));
    Arbitrary<String> names =
        Arbitraries.of("Order Completed", "Users", "tracks", "", "\u65e5\u672c\u8a9e", "open");
    Arbitrary<Instant> times =
        Arbitraries.longs()
            .between(-62_135_596_800L, 253_402_300_799L)
            .map(Instant::ofEpochSecond)
            .injectNull(0.3);
    return Combinators.combine(
            Arbitraries.of(EventType.class),
            ids.injectNull(0.1),
            ids.injectNull(0.5),
            names.injectNull(0.2),
            times,
            objects(2),
            objects(2),
            objects(2))
        .as(
            (type, id, user, name, time, props, traits, context) ->
                Event.builder(type)
                    .messageId(id)
                    .userId(user)
                    .anonymousId(id == null ? null : "a-" + id)
                    .event(name)
                    .name(name)
                    .category(user)
                    .groupId(user)
                    .previousId(id)
                    .timestamp(time)
                    .receivedAt(time)
                    .properties(props)
                    .traits(traits)
                    .context(context)
                    .build());
  }
}
