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

  /** The system tables, view and functions the emulation adds to a database (schema public). */
  static final List<String> INSTALL =
      List.of(
          "CREATE TABLE IF NOT EXISTS public.stl_load_errors ("
              + "userid integer, slice integer, tbl integer, starttime timestamp,"
              + " session integer, query integer, filename character(256), line_number bigint,"
              + " colname character(127), type character(10), col_length character(10),"
              + " position integer, raw_line character(1024), raw_field_value character(1024),"
              + " err_code integer, err_reason character(100))",
          "CREATE OR REPLACE VIEW public.sys_load_error_detail AS SELECT"
              + " userid AS user_id, query::bigint AS query_id, NULL::bigint AS transaction_id,"
              + " session AS session_id, current_database()::character(64) AS database_name,"
              + " tbl AS table_id, starttime AS start_time, filename AS file_name, line_number,"
              + " colname AS column_name, type AS column_type, col_length AS column_length,"
              + " position, err_code AS error_code, err_reason::character(512) AS error_message"
              + " FROM public.stl_load_errors",
          "CREATE TABLE IF NOT EXISTS public.stv_slices ("
              + "node integer, slice integer, localslice integer, type character(1))",
          "CREATE OR REPLACE FUNCTION public.pg_last_copy_id(integer) RETURNS integer"
              + " LANGUAGE sql IMMUTABLE AS 'SELECT $1'",
          "CREATE OR REPLACE FUNCTION public.pg_last_copy_id() RETURNS integer LANGUAGE plpgsql"
              + " AS $$BEGIN RAISE EXCEPTION 'pg_last_copy_id() is answered only on connections"
              + " of the Redshift emulation (segment-redshift-testkit)'; END$$");

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
