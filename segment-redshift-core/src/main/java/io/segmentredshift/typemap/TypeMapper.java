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

  /** Puts {@code value} into a column of type {@code type}, or says why it cannot. */
  public Coerced coerce(Object value, ColumnType type) {
    if (value == null) {
      return Coerced.of(null);
    }
    if (value instanceof String s && !validText(s)) {
      return Coerced.reject(DiscardReason.INVALID_TEXT);
    }
    return switch (type.kind()) {
      case OTHER -> Coerced.reject(DiscardReason.UNSUPPORTED_COLUMN);
      case BOOLEAN ->
          value instanceof Boolean
              ? Coerced.of(value)
              : Coerced.reject(DiscardReason.TYPE_CONFLICT);
      case BIGINT -> toBigint(value);
      case DOUBLE -> toDouble(value);
      case TIMESTAMP -> toTimestamp(value);
      case VARCHAR -> {
        String text = text(value);
        yield unit.length(text) <= type.width()
            ? Coerced.of(text)
            : Coerced.reject(DiscardReason.TOO_LONG);
      }
    };
  }

  private static Coerced toBigint(Object value) {
    if (value instanceof Long) {
      return Coerced.of(value);
    }
    if (value instanceof Integer i) {
      return Coerced.of(i.longValue());
    }
    if (value instanceof BigInteger b) {
      return b.bitLength() < 64
          ? Coerced.of(b.longValue())
          : Coerced.reject(DiscardReason.OUT_OF_RANGE);
    }
    if (value instanceof Double d) {
      if (d != Math.rint(d)) {
        return Coerced.reject(DiscardReason.TYPE_CONFLICT);
      }
      return d >= -TWO_TO_63 && d < TWO_TO_63
          ? Coerced.of(d.longValue())
          : Coerced.reject(DiscardReason.OUT_OF_RANGE);
    }
    if (value instanceof BigDecimal b) {
      try {
        return Coerced.of(b.longValueExact());
      } catch (ArithmeticException e) {
        return Coerced.reject(
            b.stripTrailingZeros().scale() <= 0
                ? DiscardReason.OUT_OF_RANGE
                : DiscardReason.TYPE_CONFLICT);
      }
    }
    return Coerced.reject(DiscardReason.TYPE_CONFLICT);
  }

  private static Coerced toDouble(Object value) {
    if (value instanceof Double) {
      return Coerced.of(value);
    }
    if (value instanceof Long || value instanceof Integer) {
      long v = ((Number) value).longValue();
      double d = v;
      // (long) 2^63 saturates to Long.MAX_VALUE, so check that bound before the round trip.
      return d != TWO_TO_63 && (long) d == v
          ? Coerced.of(d)
          : Coerced.reject(DiscardReason.PRECISION_LOSS);
    }
    if (value instanceof BigInteger b) {
      double d = b.doubleValue();
      if (Double.isInfinite(d)) {
        return Coerced.reject(DiscardReason.OUT_OF_RANGE);
      }
      return new BigDecimal(d).compareTo(new BigDecimal(b)) == 0
          ? Coerced.of(d)
          : Coerced.reject(DiscardReason.PRECISION_LOSS);
    }
    if (value instanceof BigDecimal b) {
      Double d = exactDouble(b);
      if (d != null) {
        return Coerced.of(d);
      }
      return Coerced.reject(
          Double.isInfinite(b.doubleValue())
              ? DiscardReason.OUT_OF_RANGE
              : DiscardReason.PRECISION_LOSS);
    }
    return Coerced.reject(DiscardReason.TYPE_CONFLICT);
  }

  private static Coerced toTimestamp(Object value) {
    if (value instanceof Instant i) {
      return Timestamps.inRange(i)
          ? Coerced.of(Timestamps.toMicros(i))
          : Coerced.reject(DiscardReason.OUT_OF_RANGE);
    }
    if (value instanceof String s) {
      Instant i = Timestamps.parse(s);
      return i != null ? Coerced.of(i) : Coerced.reject(DiscardReason.TYPE_CONFLICT);
    }
    return Coerced.reject(DiscardReason.TYPE_CONFLICT);
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
