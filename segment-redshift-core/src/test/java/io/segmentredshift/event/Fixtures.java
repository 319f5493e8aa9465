package io.segmentredshift.event;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared inputs for the event tests. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2024-03-05T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private Fixtures() {}

  static EventParser parser() {
    return EventParser.create(EventLimits.defaults(), CLOCK);
  }

  /** A sample from src/test/resources/samples (copied from ../shared/samples). */
  static byte[] sample(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/samples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
