package io.segmentredshift.typemap;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The strict ISO-8601 timestamps that become timestamp columns, and the range a warehouse timestamp
 * holds.
 */
final class Timestamps {
  /**
   * Date, {@code T}, time with seconds, an optional fraction of 1 to 6 digits (the warehouses keep
   * microseconds, so more digits would be lost), and a mandatory zone: {@code Z}, {@code ±hh:mm} or
   * {@code ±hhmm}.
   */
  private static final Pattern STRICT =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?"
              + "(Z|[+-][0-9]{2}:[0-9]{2}|[+-][0-9]{4})");

  static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
  static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

  private Timestamps() {}

  /** The instant a strict ISO-8601 string denotes, or null when it is not one (or out of range). */
  static Instant parse(String s) {
    // Cheap rejections first: most strings are not timestamps.
    int n = s.length();
    if (n < 20 || n > 32 || s.charAt(4) != '-' || s.charAt(10) != 'T') {
      return null;
    }
    if (!STRICT.matcher(s).matches()) {
      return null;
    }
    String iso = s;
    char sign = s.charAt(n - 5);
    if ((sign == '+' || sign == '-') && s.charAt(n - 3) != ':') {
      iso = s.substring(0, n - 2) + ":" + s.substring(n - 2);
    }
    try {
      Instant instant =
          OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      return inRange(instant) ? instant : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static boolean inRange(Instant instant) {
    return !instant.isBefore(MIN) && !instant.isAfter(MAX);
  }

  /** The instant as the warehouse keeps it: microsecond precision. */
  static Instant toMicros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }
}
