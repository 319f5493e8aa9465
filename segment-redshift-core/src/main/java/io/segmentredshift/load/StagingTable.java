package io.segmentredshift.load;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.schema.Column;
import io.segmentredshift.schema.LoadRow;
import io.segmentredshift.schema.TableSchema;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table for a {@link Loader} to fill: an empty staging table, a temporary table of the session
 * shaped like its target (created with {@link Dialect#createStaging}; {@link #schema()} is null),
 * or for a {@linkplain Loader#direct() direct} loader on PostgreSQL the target itself ({@link
 * #schema()} is its schema), with the rows to put into it and the connection to do it with (in a
 * transaction, see {@link Loader#stage}). SQL names it as {@code dialect.copyFromStdin(schema(),
 * name(), ...)} and {@code dialect.insertRows(schema(), name(), ...)} do.
 *
 * <p>Every row has {@link #target()}'s columns in table order, each value null or of the column's
 * type ({@link LoadRow}); no string has a NUL or an unpaired surrogate (the schema package routes
 * such values to {@code _discards}), and ids are unique (and, written into the target, new to it).
 */
public final class StagingTable {
  private final Connection connection;
  private final Dialect dialect;
  private final String schema;
  private final String name;
  private final TableSchema target;
  private final List<LoadRow> rows;
  private final String batchId;
  private final List<String> columnNames;

  private StagingTable(
      Connection connection,
      Dialect dialect,
      String schema,
      String name,
      TableSchema target,
      List<LoadRow> rows,
      String batchId) {
    this.connection = Objects.requireNonNull(connection, "connection == null");
    this.dialect = Objects.requireNonNull(dialect, "dialect == null");
    this.schema = schema;
    this.name = Objects.requireNonNull(name, "name == null");
    this.target = Objects.requireNonNull(target, "target == null");
    this.rows = List.copyOf(rows);
    this.batchId = Objects.requireNonNull(batchId, "batchId == null");
    List<String> names = new ArrayList<>(target.columns().size());
    for (Column c : target.columns()) {
      names.add(c.name());
    }
    this.columnNames = List.copyOf(names);
  }

  /**
   * A staging table.
   *
   * @param connection the session the staging table lives in
   * @param dialect the warehouse's dialect, for every SQL statement
   * @param name the staging table's name (a temporary table, unqualified)
   * @param target the target table: its columns are the staging table's, in this order
   * @param rows the rows to stage
   * @param batchId the batch's id (e.g. to name files)
   */
  public static StagingTable of(
      Connection connection,
      Dialect dialect,
      String name,
      TableSchema target,
      List<LoadRow> rows,
      String batchId) {
    return new StagingTable(connection, dialect, null, name, target, rows, batchId);
  }

  /**
   * The target table itself, for a {@linkplain Loader#direct() direct} loader: the connection is in
   * the merge transaction, which holds the lock on the target.
   *
   * @param connection the session, in the merge transaction
   * @param dialect the warehouse's dialect, for every SQL statement
   * @param schema the target's schema
   * @param target the target table
   * @param rows the rows to write, none of whose ids the target has
   * @param batchId the batch's id
   */
  public static StagingTable target(
      Connection connection,
      Dialect dialect,
      String schema,
      TableSchema target,
      List<LoadRow> rows,
      String batchId) {
    Objects.requireNonNull(schema, "schema == null");
    return new StagingTable(connection, dialect, schema, target.name(), target, rows, batchId);
  }

  /** The session, in the staging or the merge transaction. */
  public Connection connection() {
    return connection;
  }

  /** The warehouse's dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * The schema of the table: null for a staging table (a temporary table of the session), the
   * target's schema when the rows go straight into the target.
   */
  public String schema() {
    return schema;
  }

  /** The table's name, unquoted: the staging table's, or the target's. */
  public String name() {
    return name;
  }

  /** The target table. */
  public TableSchema target() {
    return target;
  }

  /** The target's column names, in table order: the order of every row's values. */
  public List<String> columnNames() {
    return columnNames;
  }

  /** The rows to stage. */
  public List<LoadRow> rows() {
    return rows;
  }

  /** The batch's id. */
  public String batchId() {
    return batchId;
  }

  @Override
  public String toString() {
    return (schema == null ? name + " for " + target.name() : schema + "." + name)
        + " ("
        + rows.size()
        + " rows)";
  }
}
