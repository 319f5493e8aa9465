package io.segmentredshift.event;

import java.time.Instant;

/**
 * ISO-8601 timestamps without {@code java.time.format}: the parser reads four per event, and a
 * hand-written reader is several times faster than a {@code DateTimeFormatter}.
 *
 * <p>Accepted: {@code [±]YYYY-MM-DD}, optionally followed by {@code T} (or {@code t} or a space),
 * {@code hh:mm}, optionally {@code :ss} and a fraction of 1 to 9 digits (after {@code .} or {@code
 * ,}), and optionally an offset {@code Z}, {@code z}, {@code ±hh:mm}, {@code ±hhmm} or {@code ±hh}
 * (at most 18 hours). A date alone is midnight UTC; a date-time without an offset is UTC. The year
 * has exactly four digits, or four to ten digits after a sign, so every {@link Instant} that {@link
 * Instant#toString()} prints reads back. This covers what analytics.js, analytics-node ({@code
 * Date.toISOString()}), analytics-java, analytics-python ({@code isoformat()}), Go's RFC 3339 and
 * .NET's round-trip format send. Leap seconds ({@code :60}) are refused: an {@link Instant} cannot
 * hold them.
 */
final class Timestamps {
  private static final long MIN_SECOND = Instant.MIN.getEpochSecond();
  private static final long MAX_SECOND = Instant.MAX.getEpochSecond();
  private static final int[] POW10 = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  private Timestamps() {}

  /** Parses {@code text}, or returns null when it is not an accepted timestamp. */
  static Instant parse(String text) {
    return parse(text.toCharArray(), 0, text.length());
  }

  /** Parses {@code len} chars of {@code c} from {@code off}, or returns null. */
  static Instant parse(char[] c, int off, int len) {
    int end = off + len;
    int i = off;
    if (i >= end) {
      return null;
    }
    boolean negative = false;
    int yearDigits;
    if (c[i] == '+' || c[i] == '-') {
      negative = c[i] == '-';
      i++;
      yearDigits = digitsAt(c, i, end);
      if (yearDigits < 4 || yearDigits > 10) {
        return null;
      }
    } else {
      yearDigits = 4;
      if (digitsAt(c, i, end) != 4) {
        return null;
      }
    }
    long year = 0;
    for (int k = 0; k < yearDigits; k++) {
      year = year * 10 + (c[i++] - '0');
    }
    if (negative) {
      year = -year;
    }
    if (i + 6 > end || c[i] != '-' || c[i + 3] != '-') {
      return null;
    }
    int month = two(c, i + 1);
    int day = two(c, i + 4);
    i += 6;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return null;
    }
    int hour = 0;
    int minute = 0;
    int second = 0;
    int nano = 0;
    int offsetSeconds = 0;
    if (i < end) {
      char t = c[i];
      if (t != 'T' && t != 't' && t != ' ') {
        return null;
      }
      if (i + 6 > end || c[i + 3] != ':') {
        return null;
      }
      hour = two(c, i + 1);
      minute = two(c, i + 4);
      i += 6;
      if (i < end && c[i] == ':') {
        if (i + 3 > end) {
          return null;
        }
        second = two(c, i + 1);
        i += 3;
        if (i < end && (c[i] == '.' || c[i] == ',')) {
          int digits = digitsAt(c, i + 1, end);
          if (digits < 1 || digits > 9) {
            return null;
          }
          i++;
          for (int k = 0; k < digits; k++) {
            nano = nano * 10 + (c[i++] - '0');
          }
          nano *= POW10[9 - digits];
        }
      }
      if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
        return null;
      }
      if (i < end) {
        char z = c[i];
        if (z == 'Z' || z == 'z') {
          i++;
        } else if (z == '+' || z == '-') {
          int sign = z == '-' ? -1 : 1;
          if (i + 3 > end) {
            return null;
          }
          int oh = two(c, i + 1);
          int om = 0;
          i += 3;
          if (i < end) {
            if (c[i] == ':') {
              i++;
            }
            if (i + 2 > end) {
              return null;
            }
            om = two(c, i);
            i += 2;
          }
          if (oh < 0 || om < 0 || om > 59 || oh * 3600 + om * 60 > 18 * 3600) {
            return null;
          }
          offsetSeconds = sign * (oh * 3600 + om * 60);
        } else {
          return null;
        }
      }
      if (i != end) {
        return null;
      }
    }
    long epochSecond =
        epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    if (epochSecond < MIN_SECOND || epochSecond > MAX_SECOND) {
      return null;
    }
    return Instant.ofEpochSecond(epochSecond, nano);
  }

  /** Formats like {@link Instant#toString()}: fraction in groups of three digits, 'Z'. */
  static void append(StringBuilder b, Instant instant) {
    long seconds = instant.getEpochSecond();
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    long[] ymd = civil(days);
    long year = ymd[0];
    if (year < 0 || year > 9999) {
      b.append(instant);
      return;
    }
    pad(b, (int) year, 4);
    b.append('-');
    pad(b, (int) ymd[1], 2);
    b.append('-');
    pad(b, (int) ymd[2], 2);
    b.append('T');
    pad(b, secondOfDay / 3600, 2);
    b.append(':');
    pad(b, secondOfDay / 60 % 60, 2);
    b.append(':');
    pad(b, secondOfDay % 60, 2);
    int nano = instant.getNano();
    if (nano != 0) {
      b.append('.');
      if (nano % 1_000_000 == 0) {
        pad(b, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        pad(b, nano / 1_000, 6);
      } else {
        pad(b, nano, 9);
      }
    }
    b.append('Z');
  }

  private static void pad(StringBuilder b, int value, int width) {
    for (int p = POW10[width - 1]; p > 1 && value < p; p /= 10) {
      b.append('0');
    }
    b.append(value);
  }

  private static int digitsAt(char[] c, int i, int end) {
    int n = 0;
    while (i + n < end && c[i + n] >= '0' && c[i + n] <= '9') {
      n++;
    }
    return n;
  }

  /** Two digits at i, or -1. */
  private static int two(char[] c, int i) {
    char a = c[i];
    char b = c[i + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') {
      return -1;
    }
    return (a - '0') * 10 + (b - '0');
  }

  private static int daysInMonth(long year, int month) {
    switch (month) {
      case 2:
        return isLeap(year) ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  private static boolean isLeap(long year) {
    return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  static long epochDay(long year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }

  /** Year, month, day of a day since 1970-01-01 (H. Hinnant's civil_from_days). */
  private static long[] civil(long epochDay) {
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    return new long[] {year, month, day};
  }
}
