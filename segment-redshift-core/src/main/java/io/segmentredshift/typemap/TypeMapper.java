package io.segmentredshift.typemap;

import io.segmentredshift.typemap.ColumnType.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;

/**
 * Maps JSON values to column types, joins the types a batch brings into one column type, sizes and
 * widens varchars, and coerces values into existing columns.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>Kind of a value</b> ({@link #kindOf}): Boolean → boolean; an integer that fits 64 bits →
 *       bigint; a finite binary64 number → double precision; a string in strict ISO-8601 form with
 *       seconds and a zone ({@code 2024-03-05T10:11:12.123Z}, {@code +01:00}, {@code +0100}; at
 *       most 6 fraction digits; years 0001–9999 after conversion to UTC) → timestamp; any other
 *       string, an integer beyond 64 bits and a number beyond the binary64 range → varchar (their
 *       exact decimal text). {@code "2024"}, {@code "1.5"}, {@code "2024-03-05"} and zone-less
 *       times are varchar.
 *   <li><b>Join</b> ({@link #join}): the kinds form a lattice: nothing ⊑ {boolean, bigint ⊑ double,
 *       timestamp} ⊑ varchar. {@code bigint ⊔ double = double}; any other mix is varchar. The join
 *       is commutative and associative, so the type a batch gives a new column does not depend on
 *       the order of its events.
 *   <li><b>Widths</b>: a new varchar gets the initial width (512) or, when a value is longer, the
 *       next power of two that holds the longest value, at most the dialect's widest varchar (65535
 *       bytes on Redshift). Widening never narrows. With an unbounded maximum (PostgreSQL) every
 *       varchar is {@code text}.
 *   <li><b>Coercion</b> ({@link #coerce}) into an existing column keeps a value only when nothing
 *       is lost: an integer into double precision when the double is exact; an integral double into
 *       bigint; a strict ISO-8601 string into timestamp; any scalar into varchar as its text, when
 *       it fits the width. Everything else is rejected with a {@link DiscardReason}. Strings with
 *       NUL or an unpaired surrogate are rejected from every column.
 * </ul>
 */
public final class TypeMapper {
  /** The width a new Redshift varchar column starts with, as in Segment's own warehouses. */
  public static final int INITIAL_WIDTH = 512;

  private static final double TWO_TO_63 = 0x1p63;
  private static final long FIRST_SECOND = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
  private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  private final LengthUnit unit;
  private final int maxWidth;

  /**
   * A mapper for a dialect.
   *
   * @param unit how varchar widths are counted
   * @param maxWidth the widest varchar, or {@link ColumnType#UNBOUNDED} when strings are {@code
   *     text}
   */
  public TypeMapper(LengthUnit unit, int maxWidth) {
    if (unit == null) {
      throw new NullPointerException("unit == null");
    }
    if (maxWidth < INITIAL_WIDTH) {
      throw new IllegalArgumentException("maxWidth < " + INITIAL_WIDTH + ": " + maxWidth);
    }
    this.unit = unit;
    this.maxWidth = maxWidth;
  }

  /** How varchar widths are counted. */
  public LengthUnit unit() {
    return unit;
  }

  /** The widest varchar, or {@link ColumnType#UNBOUNDED}. */
  public int maxWidth() {
    return maxWidth;
  }

  /**
   * The kind a value asks for; null for null and for text no warehouse can store (NUL, unpaired
   * surrogates), which is rejected whatever the column's type, so it does not vote.
   */
  public static Kind kindOf(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      if (!validText(s)) {
        return null;
      }
      return Timestamps.parse(s) != null ? Kind.TIMESTAMP : Kind.VARCHAR;
    }
    if (value instanceof Boolean) {
      return Kind.BOOLEAN;
    }
    if (value instanceof Long || value instanceof Integer) {
      return Kind.BIGINT;
    }
    if (value instanceof Double) {
      return Kind.DOUBLE;
    }
    if (value instanceof BigInteger b) {
      return b.bitLength() < 64 ? Kind.BIGINT : Kind.VARCHAR;
    }
    if (value instanceof BigDecimal b) {
      return exactDouble(b) != null ? Kind.DOUBLE : Kind.VARCHAR;
    }
    if (value instanceof Instant) {
      return Kind.TIMESTAMP;
    }
    throw new IllegalArgumentException("not a scalar JSON value: " + value.getClass().getName());
  }

  /** The least kind that holds both; null stands for "no value yet". */
  public static Kind join(Kind a, Kind b) {
    if (a == null) {
      return b;
    }
    if (b == null || a == b) {
      return a;
    }
    if ((a == Kind.BIGINT && b == Kind.DOUBLE) || (a == Kind.DOUBLE && b == Kind.BIGINT)) {
      return Kind.DOUBLE;
    }
    return Kind.VARCHAR;
  }

  /** The type of a new column: the joined kind and, for varchar, the longest value's length. */
  public ColumnType newColumn(Kind kind, int longestText) {
    return switch (kind) {
      case BOOLEAN -> ColumnType.BOOLEAN;
      case BIGINT -> ColumnType.BIGINT;
      case DOUBLE -> ColumnType.DOUBLE;
      case TIMESTAMP -> ColumnType.TIMESTAMP;
      case VARCHAR -> varcharFor(longestText);
      case OTHER -> throw new IllegalArgumentException("no new column of kind OTHER");
    };
  }

  /** A varchar that holds text of the given length (as far as the dialect allows). */
  public ColumnType varcharFor(int length) {
    if (maxWidth == ColumnType.UNBOUNDED) {
      return ColumnType.TEXT;
    }
    return ColumnType.varchar(Math.min(maxWidth, Math.max(INITIAL_WIDTH, nextPowerOfTwo(length))));
  }

  /**
   * {@code current} widened to hold text of length {@code needed}, or {@code current} itself when
   * it already does, is not a varchar, or is as wide as the dialect allows. Never narrower.
   */
  public ColumnType widen(ColumnType current, int needed) {
    if (current.kind() != Kind.VARCHAR || current.unbounded() || needed <= current.width()) {
      return current;
    }
    if (maxWidth == ColumnType.UNBOUNDED) {
      return ColumnType.TEXT;
    }
    if (current.width() >= maxWidth) {
      return current;
    }
    int width = Math.min(maxWidth, Math.max(current.width(), nextPowerOfTwo(needed)));
    return ColumnType.varchar(width);
  }

  /** The length of {@code s} in this dialect's unit. */
  public int length(String s) {
    return unit.length(s);
  }

  /**
   * The length of {@link #text text(value)} in this dialect's unit, without building the text where
   * it is a number or a boolean (their text is ASCII).
   */
  public int textLength(Object value) {
    if (value instanceof String s) {
      return unit.length(s);
    }
    if (value instanceof Long l) {
      return decimalLength(l);
    }
    if (value instanceof Boolean b) {
      return b ? 4 : 5;
    }
    if (value instanceof Instant i
        && i.getEpochSecond() >= FIRST_SECOND
        && i.getEpochSecond() <= LAST_SECOND) {
      // Instant.toString of years 0001 to 9999: 2024-03-05T10:11:12Z, the fraction in groups of 3.
      int nano = i.getNano();
      return 20 + (nano == 0 ? 0 : nano % 1_000_000 == 0 ? 4 : nano % 1000 == 0 ? 7 : 10);
    }
    return text(value).length();
  }

  /** The length of {@code Long.toString(v)}. */
  private static int decimalLength(long v) {
    if (v == Long.MIN_VALUE) {
      return 20;
    }
    int n = 1;
    if (v < 0) {
      n++;
      v = -v;
    }
    while (v >= 10) {
      v /= 10;
      n++;
    }
    return n;
  }

  /** Puts {@code value} into a column of type {@code type}, or says why it cannot. */
  public Coerced coerce(Object value, ColumnType type) {
    Object v = coerceValue(value, type);
    return v instanceof DiscardReason r ? Coerced.reject(r) : Coerced.of(v);
  }

  /**
   * What {@link #coerce} does, without a result object (the load path calls it for every value):
   * the value to write (null for null), or the {@link DiscardReason} that rejects it, which is
   * never a value.
   */
  public Object coerceValue(Object value, ColumnType type) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s && !validText(s)) {
      return DiscardReason.INVALID_TEXT;
    }
    return switch (type.kind()) {
      case OTHER -> DiscardReason.UNSUPPORTED_COLUMN;
      case BOOLEAN -> value instanceof Boolean ? value : DiscardReason.TYPE_CONFLICT;
      case BIGINT -> toBigint(value);
      case DOUBLE -> toDouble(value);
      case TIMESTAMP -> toTimestamp(value);
      case VARCHAR -> {
        String text = text(value);
        // An unbounded varchar (text) holds any length: no need to count.
        yield type.unbounded() || unit.length(text) <= type.width() ? text : DiscardReason.TOO_LONG;
      }
    };
  }

  private static Object toBigint(Object value) {
    if (value instanceof Long) {
      return value;
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : DiscardReason.OUT_OF_RANGE;
    }
    if (value instanceof Double d) {
      if (d != Math.rint(d)) {
        return DiscardReason.TYPE_CONFLICT;
      }
      return d >= -TWO_TO_63 && d < TWO_TO_63 ? (Object) d.longValue() : DiscardReason.OUT_OF_RANGE;
    }
    if (value instanceof BigDecimal b) {
      try {
        return b.longValueExact();
      } catch (ArithmeticException e) {
        return b.stripTrailingZeros().scale() <= 0
            ? DiscardReason.OUT_OF_RANGE
            : DiscardReason.TYPE_CONFLICT;
      }
    }
    return DiscardReason.TYPE_CONFLICT;
  }

  private static Object toDouble(Object value) {
    if (value instanceof Double) {
      return value;
    }
    if (value instanceof Long || value instanceof Integer) {
      long v = ((Number) value).longValue();
      double d = v;
      // (long) 2^63 saturates to Long.MAX_VALUE, so check that bound before the round trip.
      return d != TWO_TO_63 && (long) d == v ? (Object) d : DiscardReason.PRECISION_LOSS;
    }
    if (value instanceof BigInteger b) {
      double d = b.doubleValue();
      if (Double.isInfinite(d)) {
        return DiscardReason.OUT_OF_RANGE;
      }
      return new BigDecimal(d).compareTo(new BigDecimal(b)) == 0
          ? (Object) d
          : DiscardReason.PRECISION_LOSS;
    }
    if (value instanceof BigDecimal b) {
      Double d = exactDouble(b);
      if (d != null) {
        return d;
      }
      return Double.isInfinite(b.doubleValue())
          ? DiscardReason.OUT_OF_RANGE
          : DiscardReason.PRECISION_LOSS;
    }
    return DiscardReason.TYPE_CONFLICT;
  }

  private static Object toTimestamp(Object value) {
    if (value instanceof Instant i) {
      return Timestamps.inRange(i) ? Timestamps.toMicros(i) : DiscardReason.OUT_OF_RANGE;
    }
    if (value instanceof String s) {
      Instant i = Timestamps.parse(s);
      return i != null ? i : DiscardReason.TYPE_CONFLICT;
    }
    return DiscardReason.TYPE_CONFLICT;
  }

  /** The double whose shortest decimal form equals {@code b}, or null if there is none. */
  private static Double exactDouble(BigDecimal b) {
    double d = b.doubleValue();
    if (Double.isInfinite(d)) {
      return null;
    }
    return new BigDecimal(Double.toString(d)).compareTo(b) == 0 ? d : null;
  }

  /**
   * The text of a scalar as a varchar column stores it: strings as they are, numbers and booleans
   * as their JSON text, instants in ISO-8601 UTC.
   */
  public static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean
        || value instanceof Long
        || value instanceof Integer
        || value instanceof BigInteger
        || value instanceof BigDecimal) {
      return value.toString();
    }
    if (value instanceof Double d) {
      return Double.toString(d);
    }
    if (value instanceof Instant i) {
      return i.toString();
    }
    throw new IllegalArgumentException("not a scalar JSON value: " + value.getClass().getName());
  }

  /** The instant a strict ISO-8601 timestamp string denotes, or null (see the class rules). */
  public static Instant timestamp(String s) {
    return Timestamps.parse(s);
  }

  /** True unless {@code s} has a NUL or an unpaired surrogate. */
  public static boolean validText(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return false;
        }
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static int nextPowerOfTwo(int n) {
    if (n <= 1) {
      return 1;
    }
    int highest = Integer.highestOneBit(n - 1);
    return highest >= (1 << 30) ? Integer.MAX_VALUE : highest << 1;
  }
}
