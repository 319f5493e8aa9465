package io.segmentredshift.event;

import static io.segmentredshift.event.Fixtures.CLOCK;
import static io.segmentredshift.event.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.segmentredshift.event.MalformedEventException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The parser on hostile bytes: every entry point only ever returns events or reports {@link
 * MalformedEventException}, never another exception or error, and what it returns is within its
 * limits.
 */
class ParserFuzzTest {
  private static final EventLimits LIMITS =
      EventLimits.defaults()
          .withMaxEventBytes(2_000)
          .withMaxRequestBytes(6_000)
          .withMaxBatchEvents(5)
          .withMaxDepth(6)
          .withMaxStringLength(40)
          .withMaxNumberLength(30);

  private final EventParser parser = EventParser.create(LIMITS, CLOCK);

  @Provide
  Arbitrary<byte[]> hostile() {
    Arbitrary<byte[]> valid = EventArbitraries.validEvents().map(EventJson::write);
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
        Tuple.of(
            3,
            Arbitraries.strings()
                .withChars("{}[]\":,0123456789.eE+-truefalsn \\u")
                .ofMaxLength(80)
                .map(Fixtures::utf8)),
        Tuple.of(6, mutated(valid)),
        Tuple.of(2, valid),
        Tuple.of(2, deep()),
        Tuple.of(2, numbers()),
        Tuple.of(2, invalidUtf8(valid)),
        Tuple.of(2, duplicateKeys()),
        Tuple.of(
            6,
            Combinators.combine(items(valid).list().ofMaxSize(7), Arbitraries.of(0, 1, 2))
                .as(ParserFuzzTest::wrap)));
  }

  /** Items for a batch: mostly JSON, valid or breaking one rule or limit, sometimes broken. */
  private static Arbitrary<byte[]> items(Arbitrary<byte[]> valid) {
    return Arbitraries.frequencyOf(
        Tuple.of(6, valid),
        Tuple.of(1, deep()),
        Tuple.of(1, numbers()),
        Tuple.of(1, duplicateKeys()),
        Tuple.of(1, mutated(valid)),
        Tuple.of(
            1,
            Arbitraries.of(
                    "{\"type\":\"track\",\"userId\":\"" + "s".repeat(50) + "\",\"event\":\"E\"}",
                    "{\"type\":\"track\",\"userId\":[],\"event\":\"E\"}",
                    "{\"type\":\"nope\",\"userId\":\"u\"}",
                    "{\"type\":\"delete\",\"userId\":\"u\"}",
                    "17",
                    "[{}]",
                    "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"p\":\""
                        + "x".repeat(2100)
                        + "\"}")
                .map(Fixtures::utf8)));
  }

  private static Arbitrary<byte[]> mutated(Arbitrary<byte[]> source) {
    return Combinators.combine(
            source,
            Arbitraries.of(0, 1, 2, 3, 4),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.bytes())
        .as(
            (b, how, at, to, x) -> {
              int i = (int) (at * b.length);
              int j = (int) (to * b.length);
              switch (how) {
                case 0: // flip
                  byte[] f = b.clone();
                  if (f.length > 0) {
                    f[Math.min(i, f.length - 1)] ^= x == 0 ? 1 : x;
                  }
                  return f;
                case 1: // truncate
                  return Arrays.copyOf(b, i);
                case 2: // insert
                  byte[] ins = new byte[b.length + 1];
                  System.arraycopy(b, 0, ins, 0, i);
                  ins[i] = x;
                  System.arraycopy(b, i, ins, i + 1, b.length - i);
                  return ins;
                case 3: // delete a stretch
                  int from = Math.min(i, j);
                  int until = Math.max(i, j);
                  byte[] del = new byte[b.length - (until - from)];
                  System.arraycopy(b, 0, del, 0, from);
                  System.arraycopy(b, until, del, from, b.length - until);
                  return del;
                default: // duplicate a stretch
                  int a = Math.min(i, j);
                  int z = Math.max(i, j);
                  byte[] dup = new byte[b.length + (z - a)];
                  System.arraycopy(b, 0, dup, 0, z);
                  System.arraycopy(b, a, dup, z, b.length - a);
                  return dup;
              }
            });
  }

  private static Arbitrary<byte[]> deep() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 3000), Arbitraries.of("[", "{\"a\":", "[{\"b\":"))
        .as(
            (n, open) -> {
              String close = open.equals("[") ? "]" : open.equals("{\"a\":") ? "}" : "}]";
              return utf8(
                  "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"p\":"
                      + open.repeat(n)
                      + "1"
                      + close.repeat(n)
                      + "}}");
            });
  }

  private static Arbitrary<byte[]> numbers() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 3000),
            Arbitraries.of("", "-", "0.", "1e", "1E-", "9.", "1e99999999999"),
            Arbitraries.of("", "e400", "e-400", "E999999999", ".5", "e-2147483649"))
        .as(
            (n, prefix, suffix) ->
                utf8(
                    "{\"type\":\"track\",\"userId\":"
                        + (n % 2 == 0 ? "\"u\"" : "1" + "9".repeat(n % 50))
                        + ",\"event\":\"E\",\"properties\":{\"n\":"
                        + prefix
                        + "7".repeat(n)
                        + suffix
                        + "}}"));
  }

  private static Arbitrary<byte[]> invalidUtf8(Arbitrary<byte[]> source) {
    List<byte[]> bad =
        List.of(
            new byte[] {(byte) 0xff},
            new byte[] {(byte) 0xc3, 0x28},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xc0, (byte) 0x80},
            new byte[] {(byte) 0xe2, (byte) 0x82},
            new byte[] {0});
    return Combinators.combine(source, Arbitraries.of(bad), Arbitraries.doubles().between(0, 1))
        .as(
            (b, seq, at) -> {
              int i = (int) (at * b.length);
              byte[] out = new byte[b.length + seq.length];
              System.arraycopy(b, 0, out, 0, i);
              System.arraycopy(seq, 0, out, i, seq.length);
              System.arraycopy(b, i, out, i + seq.length, b.length - i);
              return out;
            });
  }

  private static Arbitrary<byte[]> duplicateKeys() {
    return Arbitraries.of(
            "{\"type\":\"track\",\"type\":\"identify\",\"userId\":\"u\"}",
            "{\"type\":\"track\",\"userId\":{},\"userId\":\"u\",\"event\":\"E\"}",
            "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"p\":1,\"p\":[2],\"p\":null}",
            "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"a\":1,\"a\":{\"a\":2}}}",
            "{\"batch\":[],\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}],\"context\":{},\"context\":[]}")
        .map(Fixtures::utf8);
  }

  /** Items as an array (0), a Tracking API batch (1) or NDJSON lines (2). */
  private static byte[] wrap(List<byte[]> items, int shape) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(shape == 0 ? "[" : shape == 1 ? "{\"context\":{\"c\":1},\"batch\":[" : ""));
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.write(shape == 2 ? '\n' : ',');
      }
      out.writeBytes(items.get(i));
    }
    out.writeBytes(utf8(shape == 0 ? "]" : shape == 1 ? "]}" : "\n"));
    return out.toByteArray();
  }

  @Property(tries = 10_000, edgeCases = EdgeCasesMode.NONE)
  void onlyEventsOrMalformedEventExceptionsComeOut(@ForAll("hostile") byte[] input) {
    single(input, () -> parser.parseEvent(input));
    single(input, () -> parser.parseCall(input, EventType.TRACK));
    results("webhook", () -> List.of(parser.parseWebhook(input)));
    results("batch", () -> List.of(parser.parseBatch(input)));
    results("ndjson", () -> ndjson(input));
    results("ndjson.gz", () -> ndjson(gzip(input)));
    results("ndjson.gz corrupted", () -> ndjson(corrupt(gzip(input))));
    try {
      EventJson.read(input);
    } catch (MalformedEventException expected) {
      // refused: fine
    } catch (Throwable t) {
      fail("EventJson.read threw " + t, t);
    }
  }

  private void single(byte[] input, Supplier<Event> call) {
    Event e;
    try {
      e = call.get();
      Statistics.label("single").collect("event");
    } catch (MalformedEventException refused) {
      Statistics.label("single").collect(refused.reason().name());
      if (input.length > LIMITS.maxEventBytes()) {
        assertEquals(Reason.TOO_LARGE, refused.reason());
      }
      return;
    } catch (Throwable t) {
      fail("threw " + t, t);
      return;
    }
    assertTrue(input.length <= LIMITS.maxEventBytes(), "an event beyond the size limit");
    withinLimits(e);
  }

  private void results(String entry, Supplier<List<ParseResult>> call) {
    List<ParseResult> results;
    try {
      results = call.get();
    } catch (MalformedEventException refused) {
      Statistics.label(entry).collect(refused.reason().name());
      return;
    } catch (Throwable t) {
      fail("threw " + t, t);
      return;
    }
    boolean events = results.stream().anyMatch(r -> !r.events().isEmpty());
    boolean rejected = results.stream().anyMatch(r -> !r.rejected().isEmpty());
    Statistics.label(entry)
        .collect(
            events
                ? (rejected ? "events and rejected" : "events")
                : rejected ? "rejected" : "empty");
    for (ParseResult r : results) {
      assertTrue(r.events().size() + r.rejected().size() <= LIMITS.maxBatchEvents() + 3);
      r.events().forEach(this::withinLimits);
    }
  }

  private List<ParseResult> ndjson(byte[] input) {
    try (NdjsonReader reader = parser.ndjson(new ByteArrayInputStream(input))) {
      List<ParseResult> all = new java.util.ArrayList<>();
      for (ParseResult r = reader.read(3);
          !r.events().isEmpty() || !r.rejected().isEmpty();
          r = reader.read(3)) {
        assertTrue(r.events().size() + r.rejected().size() <= 3);
        all.add(r);
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Changes a few bytes after the gzip header, where the compressed data is. */
  private static byte[] corrupt(byte[] gzip) {
    byte[] out = gzip.clone();
    for (int i = 10 + gzip.length % 7; i < out.length; i += 1 + out.length / 3) {
      out[i] ^= 0x5a;
    }
    return out;
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Valid, complete, within every limit, and stable through the canonical form. */
  private void withinLimits(Event e) {
    EventValidator.validate(e);
    assertEquals(e, EventJson.read(EventJson.write(e)));
    for (Map<String, Object> object :
        List.of(e.traits(), e.properties(), e.context(), e.integrations(), e.extras())) {
      check(object, 2);
    }
    check(e.version(), 2);
  }

  private void check(Object value, int depth) {
    if (value instanceof Map<?, ?> map) {
      assertTrue(depth <= LIMITS.maxDepth(), "too deep");
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        assertTrue(((String) entry.getKey()).length() <= LIMITS.maxStringLength(), "name too long");
        check(entry.getValue(), depth + 1);
      }
    } else if (value instanceof List<?> list) {
      assertTrue(depth <= LIMITS.maxDepth(), "too deep");
      list.forEach(v -> check(v, depth + 1));
    } else if (value instanceof String s) {
      assertTrue(s.length() <= LIMITS.maxStringLength(), "string too long");
    } else if (value instanceof BigInteger i) {
      assertTrue(i.toString().length() <= LIMITS.maxNumberLength(), "integer too long");
    } else if (value instanceof BigDecimal d) {
      assertTrue(d.toPlainString().length() <= LIMITS.maxNumberLength(), "decimal too long");
    }
  }
}
