package io.segmentredshift.typemap;

/**
 * The outcome of putting a value into a column: the value to write, or why it cannot be written
 * (then the column gets NULL and the value goes to {@code _discards}).
 *
 * @param value the value to write (null when rejected, or when the input was null)
 * @param rejected why the value was rejected, or null when it was accepted
 */
public record Coerced(Object value, DiscardReason rejected) {
  private static final Coerced NULL = new Coerced(null, null);

  /** An accepted value (null is accepted as NULL). */
  public static Coerced of(Object value) {
    return value == null ? NULL : new Coerced(value, null);
  }

  /** A rejected value. */
  public static Coerced reject(DiscardReason reason) {
    return new Coerced(null, reason);
  }

  /** True when the value can be written. */
  public boolean ok() {
    return rejected == null;
  }
}
