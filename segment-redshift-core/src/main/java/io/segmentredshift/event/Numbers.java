package io.segmentredshift.event;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The number half of the value model: an integer is a {@link Long} when it fits, else a {@link
 * BigInteger}; a number with a fraction or an exponent is a {@link Double} when the double holds
 * exactly the decimal value written (its shortest decimal form is that value), else a {@link
 * BigDecimal}. So {@code 27.5} and {@code 0.1} are doubles, while {@code 1e400} (beyond double
 * range), {@code 1e-400} (below it) and {@code 0.1000000000000000000001} (more digits than a double
 * keeps) stay exact as BigDecimals: nothing is rounded away before the warehouse sees it.
 */
final class Numbers {
  /**
   * A decimal of at most this many significant digits, in the normal range, is exact as a double.
   */
  private static final int DOUBLE_DIGITS = 15;

  /** Exponents beyond this cannot be printed and parsed back by {@link BigDecimal}. */
  static final int MAX_SCALE = 999_999_999;

  private Numbers() {}

  /** {@code i} as a Long when it fits. */
  static Object integer(BigInteger i) {
    return i.bitLength() < 64 ? (Object) i.longValue() : i;
  }

  /**
   * {@code d} as a Double when that is exact, else {@code d}. Exact means: zero; or at most 15
   * significant digits in the normal range (every such decimal survives a trip through a double);
   * or equal to {@link Double#toString(double)} of the double, which covers every double this
   * library writes. The first two rules do not rely on {@code Double.toString} alone, which on Java
   * 17 sometimes prints more digits than needed ({@code 9.7351E20} as {@code
   * 9.735100000000001E20}).
   */
  static Object decimal(BigDecimal d) {
    double v = d.doubleValue();
    if (!Double.isFinite(v)) {
      return d;
    }
    if (d.signum() == 0) {
      return v;
    }
    if (Math.abs(v) >= Double.MIN_NORMAL && d.stripTrailingZeros().precision() <= DOUBLE_DIGITS) {
      return v;
    }
    if (new BigDecimal(Double.toString(v)).compareTo(d) == 0) {
      return v;
    }
    return d;
  }

  /**
   * True when {@code parsed}, the double nearest to the decimal text, is certainly exact in the
   * sense above without building a BigDecimal: at most 15 significant digits and a normal, finite
   * result (or zero for a text of zeros). False means "check the slow way".
   */
  static boolean fastExact(char[] c, int off, int len, double parsed) {
    if (!Double.isFinite(parsed)) {
      return false;
    }
    int significant = 0;
    for (int i = off, end = off + len; i < end; i++) {
      char ch = c[i];
      if (ch == 'e' || ch == 'E') {
        break;
      }
      if (ch > '0' && ch <= '9') {
        significant++;
      } else if (ch == '0' && significant > 0) {
        significant++;
      }
    }
    if (significant == 0) {
      return parsed == 0;
    }
    return significant <= DOUBLE_DIGITS && Math.abs(parsed) >= Double.MIN_NORMAL;
  }

  /** The length of {@code d} written without an exponent, as {@link BigDecimal#toPlainString}. */
  static long plainLength(BigDecimal d) {
    long precision = d.precision();
    long scale = d.scale();
    long length;
    if (scale <= 0) {
      length = precision - scale;
    } else if (scale >= precision) {
      length = scale + 2;
    } else {
      length = precision + 1;
    }
    return d.signum() < 0 ? length + 1 : length;
  }
}
