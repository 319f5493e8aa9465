package io.segmentredshift.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static void reads(String text, String expected) {
    assertEquals(Instant.parse(expected), Timestamps.parse(text), text);
  }

  @Test
  void readsWhatTheClientLibrariesSend() {
    // analytics.js, analytics-node: Date.toISOString()
    reads("2024-03-05T10:11:12.123Z", "2024-03-05T10:11:12.123Z");
    // analytics-java
    reads("2024-03-05T10:11:12.123+00:00", "2024-03-05T10:11:12.123Z");
    // analytics-python isoformat(), with and without an offset
    reads("2024-03-05T10:11:12.123456+00:00", "2024-03-05T10:11:12.123456Z");
    reads("2024-03-05T10:11:12.123456", "2024-03-05T10:11:12.123456Z");
    // Go RFC 3339 with nanoseconds, .NET round trip
    reads("2024-03-05T10:11:12.123456789-07:00", "2024-03-05T17:11:12.123456789Z");
    reads("2024-03-05T10:11:12.1234567Z", "2024-03-05T10:11:12.1234567Z");
    reads("2024-03-05T10:11:12Z", "2024-03-05T10:11:12Z");
    reads("2024-03-05t10:11:12z", "2024-03-05T10:11:12Z");
    reads("2024-03-05 10:11:12", "2024-03-05T10:11:12Z");
    reads("2024-03-05T10:11Z", "2024-03-05T10:11:00Z");
    reads("2024-03-05T10:11:12,5Z", "2024-03-05T10:11:12.5Z");
    reads("2024-03-05T10:11:12+0530", "2024-03-05T04:41:12Z");
    reads("2024-03-05T10:11:12+05", "2024-03-05T05:11:12Z");
    reads("2024-03-05", "2024-03-05T00:00:00Z");
    reads("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z");
    reads("2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z");
    reads("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z");
    reads("+12022-01-01T00:00:00Z", "+12022-01-01T00:00:00Z");
    reads("-0001-12-31T23:59:59Z", "-0001-12-31T23:59:59Z");
  }

  @Test
  void refusesWhatIsNotAnIsoDateTime() {
    for (String text :
        List.of(
            "",
            "yesterday",
            "1709640000",
            "2024-3-5",
            "20240305T101112Z",
            "2024-03-05T",
            "2024-03-05T10",
            "2024-03-05T10:11:1",
            "2024-03-05T10:11:12.Z",
            "2024-03-05T10:11:12.1234567890Z",
            "2024-03-05T24:00:00Z",
            "2024-03-05T10:60:00Z",
            "2024-03-05T10:11:60Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-03-05T10:11:12+19:00",
            "2024-03-05T10:11:12+05:3",
            "2024-03-05T10:11:12 Z",
            "2024-03-05T10:11:12ZZ",
            "2024-03-05T10:11:12America/New_York",
            "12024-01-01T00:00:00Z",
            "+123-01-01T00:00:00Z",
            "+12345678901-01-01T00:00:00Z",
            "+1000000001-01-01T00:00:00Z")) {
      assertNull(Timestamps.parse(text), text);
    }
  }

  @Provide
  Arbitrary<Instant> instants() {
    return Arbitraries.longs()
        .between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
        .flatMap(
            s ->
                Arbitraries.integers()
                    .between(0, 999_999_999)
                    .map(n -> Instant.ofEpochSecond(s, n)));
  }

  @Provide
  Arbitrary<Instant> recentInstants() {
    return Arbitraries.longs()
        .between(-62_167_219_200L, 253_402_300_799L)
        .flatMap(
            s ->
                Arbitraries.of(0, 1_000_000, 123_000_000, 123_456_000, 123_456_789)
                    .map(n -> Instant.ofEpochSecond(s, n)));
  }

  @Property(tries = 2000)
  void writesLikeInstantToStringAndReadsItBack(@ForAll("instants") Instant instant) {
    StringBuilder b = new StringBuilder();
    Timestamps.append(b, instant);
    assertEquals(instant.toString(), b.toString());
    assertEquals(instant, Timestamps.parse(b.toString()));
  }

  @Property(tries = 2000)
  void writesYearsZeroToNineThousandLikeInstantToString(@ForAll("recentInstants") Instant instant) {
    StringBuilder b = new StringBuilder();
    Timestamps.append(b, instant);
    assertEquals(instant.toString(), b.toString());
    assertEquals(instant, Timestamps.parse(b.toString()));
  }
}
