package io.segmentredshift.load;

import java.io.Serializable;

/**
 * A row the warehouse refused while it was being staged, as the warehouse's load-error table
 * reports it (Redshift: {@code stl_load_errors}). The merge quarantines the row to {@code
 * _discards} (reason {@code LOAD_ERROR}) and loads the rest of the batch.
 *
 * @param table the target table of the row
 * @param file the file the row was read from ({@code s3://bucket/key}), or null
 * @param line the line of that file the row starts on (from 1), or 0 when unknown
 * @param column the column the warehouse complained about, or null
 * @param code the warehouse's error code (Redshift: 1204 for a string longer than its column, ...)
 * @param message the warehouse's reason; it may quote part of the value, so it is logged at DEBUG
 *     only
 * @param rowIndex the index of the row in {@link StagingTable#rows()}
 */
public record LoadError(
    String table, String file, long line, String column, int code, String message, int rowIndex)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where, without the warehouse's message: {@code table, file:line, column}. */
  @Override
  public String toString() {
    return table + ", " + file + ":" + line + ", column " + column + ", code " + code;
  }
}
