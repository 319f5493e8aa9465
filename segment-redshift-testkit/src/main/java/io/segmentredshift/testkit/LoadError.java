package io.segmentredshift.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;

/**
 * One bad record of a COPY, shaped like a row of Redshift's {@code stl_load_errors}.
 *
 * @param slice the slice that read the file
 * @param filename the file's {@code s3://} URL
 * @param lineNumber the line in that file (CSV: the record's first line; JSON: the object's last)
 * @param colname the column, or empty when the record as a whole is bad
 * @param type the column's type as Redshift names it, or empty
 * @param colLength the column's declared width, or empty
 * @param position the position of the error in the field
 * @param rawLine the record as loaded (multibyte characters as '.', at most 1024 characters)
 * @param rawFieldValue the field as loaded, at most 1024 characters
 * @param errCode Redshift's load error code
 * @param errReason the reason, at most 100 characters
 */
record LoadError(
    int slice,
    String filename,
    long lineNumber,
    String colname,
    String type,
    String colLength,
    int position,
    String rawLine,
    String rawFieldValue,
    int errCode,
    String errReason) {

  /** Shortens text to a character column's width. */
  static String fit(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width);
  }

  /**
   * Appends the errors of one COPY to {@code stl_load_errors} over a connection of their own in
   * autocommit mode, so that they outlive the COPY's rolled-back transaction, as Redshift's do.
   */
  static void record(
      Connection side,
      List<LoadError> errors,
      int userId,
      int tableId,
      LocalDateTime start,
      int session,
      int query)
      throws SQLException {
    side.setAutoCommit(true);
    try (PreparedStatement insert =
        side.prepareStatement(
            "INSERT INTO public.stl_load_errors (userid, slice, tbl, starttime, session, query,"
                + " filename, line_number, colname, type, col_length, position, raw_line,"
                + " raw_field_value, err_code, err_reason)"
                + " VALUES (?, ?, ?, CAST(? AS timestamp), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (LoadError e : errors) {
        insert.setInt(1, userId);
        insert.setInt(2, e.slice());
        insert.setInt(3, tableId);
        insert.setString(4, start.toString());
        insert.setInt(5, session);
        insert.setInt(6, query);
        insert.setString(7, fit(e.filename(), 256));
        insert.setLong(8, e.lineNumber());
        insert.setString(9, fit(e.colname(), 127));
        insert.setString(10, fit(e.type(), 10));
        insert.setString(11, fit(e.colLength(), 10));
        insert.setInt(12, e.position());
        insert.setString(13, fit(e.rawLine(), 1024));
        insert.setString(14, fit(e.rawFieldValue(), 1024));
        insert.setInt(15, e.errCode());
        insert.setString(16, fit(e.errReason(), 100));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}
