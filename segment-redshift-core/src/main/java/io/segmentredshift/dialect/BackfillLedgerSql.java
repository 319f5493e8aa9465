package io.segmentredshift.dialect;

import io.segmentredshift.typemap.ColumnType;
import java.util.List;
import java.util.Objects;

/**
 * The SQL of the backfill ledger, the table {@value #TABLE} in the schema the archive is loaded
 * into: one row per archive file loaded to its end, so a backfill that runs again skips it. It
 * lives in the warehouse next to the data it describes, so it survives the loss of the machine that
 * ran the backfill, and several machines backfilling into one warehouse see the same ledger.
 *
 * <p>Columns: {@code archive_key} (the file's path from {@code segment-logs/} on), {@code
 * size_bytes}, {@code version} (the S3 ETag or the local modification time), {@code location}
 * (where it was read from), {@code events}, {@code malformed_lines}, {@code discards}, {@code
 * loaded_at}. A file counts as loaded when a row has its key, size and version.
 */
public final class BackfillLedgerSql {
  /** The ledger table's name. */
  public static final String TABLE = "_backfill_files";

  private static final List<String> COLUMNS =
      List.of(
          "archive_key",
          "size_bytes",
          "version",
          "location",
          "events",
          "malformed_lines",
          "discards",
          "loaded_at");

  private final Dialect dialect;

  private BackfillLedgerSql(Dialect dialect) {
    this.dialect = dialect;
  }

  /** The ledger's SQL in {@code dialect}. */
  public static BackfillLedgerSql of(Dialect dialect) {
    return new BackfillLedgerSql(Objects.requireNonNull(dialect, "dialect == null"));
  }

  /** Creates the schema and the ledger table when they do not exist. */
  public List<String> create(String schema) {
    String key = dialect.sqlType(ColumnType.varchar(1024));
    String text = dialect.sqlType(ColumnType.varchar(4096));
    String bigint = dialect.sqlType(ColumnType.BIGINT);
    return List.of(
        dialect.createSchema(schema),
        "CREATE TABLE IF NOT EXISTS "
            + dialect.table(schema, TABLE)
            + " (\n  "
            + dialect.quote("archive_key")
            + " "
            + key
            + " NOT NULL,\n  "
            + dialect.quote("size_bytes")
            + " "
            + bigint
            + " NOT NULL,\n  "
            + dialect.quote("version")
            + " "
            + dialect.sqlType(ColumnType.varchar(256))
            + " NOT NULL,\n  "
            + dialect.quote("location")
            + " "
            + text
            + ",\n  "
            + dialect.quote("events")
            + " "
            + bigint
            + ",\n  "
            + dialect.quote("malformed_lines")
            + " "
            + bigint
            + ",\n  "
            + dialect.quote("discards")
            + " "
            + bigint
            + ",\n  "
            + dialect.quote("loaded_at")
            + " "
            + dialect.sqlType(ColumnType.TIMESTAMP)
            + "\n)");
  }

  /** Every loaded file: {@code archive_key, size_bytes, version}. */
  public String selectLoaded(String schema) {
    return "SELECT "
        + dialect.quotedList(COLUMNS.subList(0, 3))
        + " FROM "
        + dialect.table(schema, TABLE);
  }

  /** Records a loaded file; parameters are the columns in the order of the class comment. */
  public String insert(String schema) {
    return "INSERT INTO "
        + dialect.table(schema, TABLE)
        + " ("
        + dialect.quotedList(COLUMNS)
        + ") VALUES ("
        + Dialect.placeholders(COLUMNS.size())
        + ")";
  }
}
