package io.segmentredshift.load.insert;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.Loader;
import io.segmentredshift.load.Staged;
import io.segmentredshift.load.StagingTable;
import io.segmentredshift.schema.LoadRow;
import io.segmentredshift.typemap.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * Writes rows with prepared multi-row INSERTs ({@code INSERT ... VALUES (?, ...), (?, ...)}), sent
 * with {@code addBatch}/{@code executeBatch}. Works on any warehouse and driver; the fastest path
 * for small batches, where a COPY's fixed cost dominates. {@linkplain #direct() Direct}: on
 * PostgreSQL it inserts straight into the target, inside the merge transaction.
 *
 * <p>A statement carries at most {@link #MAX_PARAMETERS} parameters (the PostgreSQL protocol's
 * limit, which the Redshift driver shares) and at most {@code rowsPerStatement} rows; {@code
 * statementsPerBatch} statements go to the server in one {@code executeBatch}. Values are bound by
 * type: strings, booleans, longs and doubles as such, timestamps in UTC as the dialect's {@link
 * Dialect#timestampParameter} says, NULL with the column's SQL type.
 */
public final class PreparedInsertLoader implements Loader {
  /** The most bind parameters one statement may have: 32767 (a 16-bit count in the protocol). */
  public static final int MAX_PARAMETERS = 32767;

  private final int rowsPerStatement;
  private final int statementsPerBatch;

  /** A loader with up to 1000 rows per statement and 16 statements per round trip. */
  public PreparedInsertLoader() {
    this(1000, 16);
  }

  /**
   * A loader.
   *
   * @param rowsPerStatement the most rows per INSERT (fewer when the parameter limit says so)
   * @param statementsPerBatch the most statements per {@code executeBatch}
   */
  public PreparedInsertLoader(int rowsPerStatement, int statementsPerBatch) {
    if (rowsPerStatement <= 0) {
      throw new IllegalArgumentException("rowsPerStatement <= 0: " + rowsPerStatement);
    }
    if (statementsPerBatch <= 0) {
      throw new IllegalArgumentException("statementsPerBatch <= 0: " + statementsPerBatch);
    }
    this.rowsPerStatement = rowsPerStatement;
    this.statementsPerBatch = statementsPerBatch;
  }

  @Override
  public String name() {
    return "insert";
  }

  /** True: INSERTs run inside the merge transaction. */
  @Override
  public boolean direct() {
    return true;
  }

  /** The rows per statement for a table of {@code columns} columns. */
  int rowsPerStatement(int columns) {
    return Math.max(1, Math.min(rowsPerStatement, MAX_PARAMETERS / columns));
  }

  @Override
  public Staged stage(StagingTable table) throws SQLException {
    List<LoadRow> rows = table.rows();
    if (rows.isEmpty()) {
      return Staged.of(name(), 0);
    }
    Dialect dialect = table.dialect();
    List<String> columns = table.columnNames();
    int[] sqlTypes = sqlTypes(table);
    int perStatement = rowsPerStatement(columns.size());
    int full = rows.size() / perStatement;
    int rest = rows.size() % perStatement;
    Connection c = table.connection();
    if (full > 0) {
      try (PreparedStatement ps =
          c.prepareStatement(
              dialect.insertRows(table.schema(), table.name(), columns, perStatement))) {
        int pending = 0;
        for (int s = 0; s < full; s++) {
          bind(ps, rows, s * perStatement, perStatement, sqlTypes, dialect);
          ps.addBatch();
          if (++pending == statementsPerBatch) {
            ps.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          ps.executeBatch();
        }
      }
    }
    if (rest > 0) {
      try (PreparedStatement ps =
          c.prepareStatement(dialect.insertRows(table.schema(), table.name(), columns, rest))) {
        bind(ps, rows, full * perStatement, rest, sqlTypes, dialect);
        ps.executeUpdate();
      }
    }
    return Staged.of(name(), rows.size());
  }

  private static void bind(
      PreparedStatement ps, List<LoadRow> rows, int from, int count, int[] sqlTypes, Dialect d)
      throws SQLException {
    int p = 1;
    for (int r = from; r < from + count; r++) {
      LoadRow row = rows.get(r);
      for (int i = 0; i < sqlTypes.length; i++) {
        Object v = row.value(i);
        if (v == null) {
          ps.setNull(p, sqlTypes[i]);
        } else if (v instanceof String s) {
          ps.setString(p, s);
        } else if (v instanceof Long l) {
          ps.setLong(p, l);
        } else if (v instanceof Double x) {
          ps.setDouble(p, x);
        } else if (v instanceof Boolean b) {
          ps.setBoolean(p, b);
        } else if (v instanceof Instant t) {
          ps.setObject(p, d.timestampParameter(t));
        } else {
          throw new IllegalArgumentException("not a load value: " + v.getClass().getName());
        }
        p++;
      }
    }
  }

  private static int[] sqlTypes(StagingTable table) {
    int[] types = new int[table.target().columns().size()];
    for (int i = 0; i < types.length; i++) {
      ColumnType t = table.target().columns().get(i).type();
      types[i] =
          switch (t.kind()) {
            case BOOLEAN -> Types.BOOLEAN;
            case BIGINT -> Types.BIGINT;
            case DOUBLE -> Types.DOUBLE;
            case TIMESTAMP -> Types.TIMESTAMP;
            case VARCHAR, OTHER -> Types.VARCHAR;
          };
    }
    return types;
  }

  @Override
  public String toString() {
    return name();
  }
}
