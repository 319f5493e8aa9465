package io.segmentredshift.typemap;

/**
 * Why a value did not reach its column. Each one becomes a row of the {@code _discards} table,
 * which keeps the value; the column gets NULL (or, for a whole event, no row is written).
 */
public enum DiscardReason {
  /** The value's type cannot be stored in the column's type without loss (text in a bigint). */
  TYPE_CONFLICT,
  /** A number that the column's numeric type cannot hold exactly (a long beyond 2^53 as double). */
  PRECISION_LOSS,
  /** A timestamp outside 0001-01-01 .. 9999-12-31 UTC, or an integer beyond a bigint. */
  OUT_OF_RANGE,
  /** Text longer than the widest varchar of the dialect (65535 bytes on Redshift). */
  TOO_LONG,
  /** Text with a NUL character or an unpaired UTF-16 surrogate, which no warehouse stores. */
  INVALID_TEXT,
  /** The existing column has a type this library does not write (e.g. {@code integer}). */
  UNSUPPORTED_COLUMN,
  /** The table reached its column budget, so no new column was added for this field. */
  COLUMN_BUDGET,
  /** The field's name sanitizes to nothing (e.g. only non-ASCII letters). */
  EMPTY_NAME,
  /** The field's source path is too long to record in the name map. */
  NAME_TOO_LONG,
  /** A trait or property would overwrite a standard column with a different value. */
  STANDARD_COLUMN,
  /** A track call whose event name is missing or sanitizes to nothing: no event table. */
  NO_EVENT_TABLE,
  /** An event without a usable messageId (missing, empty, invalid text, over 512 bytes). */
  INVALID_MESSAGE_ID,
  /**
   * The warehouse refused the row when it was loaded (a Redshift COPY error, e.g. a column that
   * changed under a cached schema); {@code raw_value} keeps the whole row as a JSON object.
   */
  LOAD_ERROR
}
