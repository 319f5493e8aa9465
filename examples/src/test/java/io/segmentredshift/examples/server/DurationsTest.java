package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @Test
  void readsTheUnitsPeopleWrite() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofDays(2), Durations.parse("2d"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofSeconds(30), Durations.parse(" 30S "));
    assertEquals(Duration.ofSeconds(45), Durations.parse("PT45S"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "5x", "m", "1.5h", "-5s", "5 s", "1h 30m", "P", "PTXS", "s30"})
  void refusesWhatIsNotADuration(String text) {
    assertNull(Durations.parse(text));
  }

  @Property
  void formatThenParseGivesTheSameWholeSeconds(
      @ForAll @LongRange(min = 1, max = 10_000_000) long s) {
    Duration d = Duration.ofSeconds(s);
    assertEquals(d, Durations.parse(Durations.format(d)));
  }

  @Test
  void formatsShortly() {
    assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
    assertEquals("45s", Durations.format(Duration.ofSeconds(45)));
    assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
    assertEquals("1d1s", Durations.format(Duration.ofSeconds(86401)));
  }
}
