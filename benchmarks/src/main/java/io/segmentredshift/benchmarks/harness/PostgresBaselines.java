package io.segmentredshift.benchmarks.harness;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The two PostgreSQL load baselines every loader figure is compared with, run on the same database
 * in the same run: the ceiling, pgjdbc's {@code CopyManager.copyIn} of rows already shaped as CSV
 * into a plain table, and the approach to beat, one autocommitted prepared INSERT per row.
 *
 * <pre>{@code
 * Path csv = Files.createTempFile("tracks", ".csv");
 * TrackRows.seeded(42).writeCsv(csv, 1_000_000);
 * PostgresBaselines.createTable(dataSource, "ceiling_tracks", false);
 * LoadBaseline ceiling = PostgresBaselines.copyCeiling(dataSource, "ceiling_tracks", csv);
 * }</pre>
 *
 * <p>The tables are plain: no primary key, no index, logged unless asked otherwise; only the table
 * names are given by callers, and they are checked to be plain lower-case identifiers.
 */
public final class PostgresBaselines {
  private PostgresBaselines() {}

  /**
   * One baseline's figures.
   *
   * @param method what was measured, such as "CopyManager.copyIn (CSV)"
   * @param rows rows loaded
   * @param seconds wall-clock time from the first statement to the last commit
   */
  public record LoadBaseline(String method, long rows, double seconds) {
    /** Rows per second; 0 when no time passed. */
    public double rowsPerSecond() {
      return seconds > 0 ? rows / seconds : 0;
    }
  }

  /**
   * The server's {@code fsync,synchronous_commit,full_page_writes}, such as {@code "on,on,on"}, for
   * the notes of a load benchmark: a commit is durable only when all three are on, and per-row
   * commits cost a WAL flush each only then.
   */
  public static String durability(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT current_setting('fsync') || ',' || current_setting('synchronous_commit')"
                    + " || ',' || current_setting('full_page_writes')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Creates (dropping any old one) a table with {@link TrackRows#COLUMNS}.
   *
   * @param unlogged true for an UNLOGGED table (no WAL): faster, and not what a warehouse table is
   */
  public static void createTable(DataSource dataSource, String table, boolean unlogged)
      throws SQLException {
    String name = checkName(table);
    StringBuilder ddl = new StringBuilder();
    ddl.append(unlogged ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ").append(name).append(" (");
    for (int i = 0; i < TrackRows.COLUMNS.size(); i++) {
      if (i > 0) {
        ddl.append(", ");
      }
      ddl.append('"').append(TrackRows.COLUMNS.get(i)).append("\" ").append(TrackRows.TYPES.get(i));
    }
    ddl.append(')');
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + name);
      statement.execute(ddl.toString());
    }
  }

  /**
   * The ceiling: streams a CSV file of {@link TrackRows#COLUMNS} rows into the table with one
   * {@code COPY ... FROM STDIN WITH (FORMAT csv)} and one commit.
   */
  public static LoadBaseline copyCeiling(DataSource dataSource, String table, Path csv)
      throws SQLException, IOException {
    String sql =
        "COPY " + checkName(table) + " (" + columnList() + ") FROM STDIN WITH (FORMAT csv)";
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      long start = System.nanoTime();
      long rows = copyIn(connection, sql, csv);
      connection.commit();
      return new LoadBaseline("CopyManager.copyIn, CSV", rows, (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Streams a file into a {@code COPY ... FROM STDIN} statement with pgjdbc's {@code
   * CopyManager.copyIn}, the ceiling's one call per file; returns the rows copied.
   */
  public static long copyIn(Connection connection, String copySql, Path file)
      throws SQLException, IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, in);
    }
  }

  /**
   * The approach to beat: one prepared INSERT per row with autocommit on, so one commit (and with a
   * durable server one WAL flush) per row. Run it on a sample; it is about 50 times slower than
   * COPY.
   */
  public static LoadBaseline rowByRowInserts(
      DataSource dataSource, String table, List<Object[]> rows) throws SQLException {
    String sql =
        "INSERT INTO "
            + checkName(table)
            + " ("
            + columnList()
            + ") VALUES ("
            + String.join(", ", Collections.nCopies(TrackRows.COLUMNS.size(), "?"))
            + ")";
    List<Insert> inserts = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      inserts.add(new Insert(sql, row));
    }
    return rowByRowInserts(dataSource, inserts);
  }

  /**
   * One row for {@link #rowByRowInserts(DataSource, List)}: a prepared INSERT's text and its
   * parameters.
   *
   * @param sql the INSERT statement with one {@code ?} per value
   * @param values the values, as {@code PreparedStatement.setObject} takes them
   */
  public record Insert(String sql, Object[] values) {}

  /**
   * The approach to beat for rows of several tables: each row by its own prepared INSERT (one
   * statement prepared per distinct text) with autocommit on, in the order given.
   */
  public static LoadBaseline rowByRowInserts(DataSource dataSource, List<Insert> rows)
      throws SQLException {
    Map<String, PreparedStatement> statements = new HashMap<>();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      long start = System.nanoTime();
      for (Insert row : rows) {
        PreparedStatement insert = statements.get(row.sql());
        if (insert == null) {
          insert = connection.prepareStatement(row.sql());
          statements.put(row.sql(), insert);
        }
        for (int i = 0; i < row.values().length; i++) {
          insert.setObject(i + 1, row.values()[i]);
        }
        insert.executeUpdate();
      }
      return new LoadBaseline(
          "prepared INSERT, one row per autocommit",
          rows.size(),
          (System.nanoTime() - start) / 1e9);
    } finally {
      for (PreparedStatement insert : statements.values()) {
        insert.close();
      }
    }
  }

  private static String columnList() {
    StringBuilder list = new StringBuilder();
    for (String column : TrackRows.COLUMNS) {
      if (list.length() > 0) {
        list.append(", ");
      }
      list.append('"').append(column).append('"');
    }
    return list.toString();
  }

  private static String checkName(String table) {
    if (table == null) {
      throw new NullPointerException("table == null");
    }
    if (!table.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("table is not a plain lower-case identifier: " + table);
    }
    return table;
  }
}
