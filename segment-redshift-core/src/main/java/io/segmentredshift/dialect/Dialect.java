package io.segmentredshift.dialect;

import io.segmentredshift.schema.Column;
import io.segmentredshift.schema.TableKind;
import io.segmentredshift.schema.TableSchema;
import io.segmentredshift.typemap.ColumnType;
import io.segmentredshift.typemap.LengthUnit;
import io.segmentredshift.typemap.TypeMapper;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The SQL of one warehouse: Amazon Redshift ({@link #redshift()}) or PostgreSQL ({@link
 * #postgres()}). Every SQL string the library runs is built here, and every identifier in it goes
 * through {@link #quote}.
 *
 * <p>Statements are plain strings with {@code ?} parameters where values go; no value is ever
 * written into SQL text. DDL comes back as lists so that a plan can be logged, tested and shown
 * before it runs.
 */
public abstract sealed class Dialect permits RedshiftDialect, PostgresDialect {
  Dialect() {}

  /** Amazon Redshift: 127-byte names, VARCHAR in bytes up to 65535, DISTKEY and SORTKEY. */
  public static Dialect redshift() {
    return RedshiftDialect.INSTANCE;
  }

  /** PostgreSQL: 63-byte names, {@code text} strings, {@code timestamptz}, enforced keys. */
  public static Dialect postgres() {
    return PostgresDialect.INSTANCE;
  }

  /** {@code "redshift"} or {@code "postgresql"}. */
  public abstract String name();

  /** The longest identifier in UTF-8 bytes; longer ones the warehouse would silently cut. */
  public abstract int maxIdentifierBytes();

  /** The reserved words, lowercase. */
  public abstract Set<String> reservedWords();

  /** The type rules with this dialect's varchar unit and maximum. */
  public abstract TypeMapper typeMapper();

  /** The SQL name of a column type. */
  public abstract String sqlType(ColumnType type);

  /**
   * True when widening a varchar must run outside a transaction block (Redshift's ALTER COLUMN
   * TYPE); the evolver runs all DDL with autocommit on.
   */
  public abstract boolean widenOutsideTransaction();

  // ---------------------------------------------------------------------------------------------
  // Identifiers

  /**
   * The one quoter: {@code identifier} as a delimited identifier, {@code "} doubled. Rejects what a
   * delimited identifier cannot carry safely: an empty name, a name longer than {@link
   * #maxIdentifierBytes()} (the warehouse would cut it and two names could meet), control
   * characters and unpaired surrogates.
   *
   * @throws IllegalArgumentException when the name cannot be quoted safely
   */
  public final String quote(String identifier) {
    if (identifier == null) {
      throw new NullPointerException("identifier == null");
    }
    if (identifier.isEmpty()) {
      throw new IllegalArgumentException("identifier is empty");
    }
    int bytes = LengthUnit.utf8Length(identifier);
    if (bytes > maxIdentifierBytes()) {
      throw new IllegalArgumentException(
          "identifier longer than " + maxIdentifierBytes() + " bytes: " + bytes);
    }
    StringBuilder out = new StringBuilder(identifier.length() + 2).append('"');
    int n = identifier.length();
    for (int i = 0; i < n; i++) {
      char c = identifier.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("identifier has a control character at " + i);
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(identifier.charAt(i + 1))) {
        out.append(c).append(identifier.charAt(++i));
        continue;
      }
      if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("identifier has an unpaired surrogate at " + i);
      }
      if (c == '"') {
        out.append('"');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  /** {@code "schema"."table"}. */
  public final String table(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  // ---------------------------------------------------------------------------------------------
  // DDL

  /** {@code CREATE SCHEMA IF NOT EXISTS "schema"}. */
  public String createSchema(String schema) {
    return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
  }

  /**
   * The statements that create {@code table} (if it does not exist) with its columns, keys and, on
   * PostgreSQL, indexes.
   */
  public abstract List<String> createTable(String schema, TableSchema table);

  /** The statements that add {@code columns} to an existing table. */
  public abstract List<String> addColumns(String schema, String table, List<Column> columns);

  /** The statement that widens a varchar column to {@code widened}'s type. */
  public String widenColumn(String schema, String table, Column widened) {
    return "ALTER TABLE "
        + table(schema, table)
        + " ALTER COLUMN "
        + quote(widened.name())
        + " TYPE "
        + sqlType(widened.type());
  }

  /** Column definitions, one per line, with NOT NULL on the key columns. */
  final String columnDefinitions(TableSchema table) {
    StringJoiner lines = new StringJoiner(",\n");
    List<String> key = table.kind().primaryKey();
    for (Column c : table.columns()) {
      lines.add(
          "  "
              + quote(c.name())
              + " "
              + sqlType(c.type())
              + (key.contains(c.name()) ? " NOT NULL" : ""));
    }
    return lines.toString();
  }

  final String quotedList(List<String> names) {
    StringJoiner j = new StringJoiner(", ");
    for (String name : names) {
      j.add(quote(name));
    }
    return j.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Catalog

  /**
   * The columns of some tables of a schema, in table order, from {@code information_schema} (never
   * JDBC DatabaseMetaData, which the Redshift driver answers with Redshift-only views). Parameters:
   * the schema name, then {@code tableCount} table names. Result: {@code table_name, column_name,
   * data_type, character_maximum_length}.
   */
  public String catalogQuery(int tableCount) {
    return "SELECT table_name, column_name, data_type, character_maximum_length"
        + " FROM information_schema.columns"
        + " WHERE table_schema = ? AND table_name IN ("
        + placeholders(tableCount)
        + ") ORDER BY table_name, ordinal_position";
  }

  /**
   * A query for the number of attribute slots each table uses against the 1600-column limit, where
   * that differs from the visible columns (PostgreSQL counts dropped columns), else null.
   * Parameters and result as {@link #catalogQuery}, with {@code table_name, slots}.
   */
  public abstract String columnSlotsQuery(int tableCount);

  /** The column type that a catalog row describes. */
  public ColumnType catalogType(String dataType, Integer maximumLength) {
    String t = dataType.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "boolean" -> ColumnType.BOOLEAN;
      case "bigint" -> ColumnType.BIGINT;
      case "double precision" -> ColumnType.DOUBLE;
      case "timestamp without time zone", "timestamp with time zone" -> ColumnType.TIMESTAMP;
      case "text" -> ColumnType.TEXT;
      case "character varying" ->
          maximumLength == null || maximumLength <= 0
              ? ColumnType.TEXT
              : ColumnType.varchar(maximumLength);
      default -> ColumnType.other(t);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Name map

  /** The statement that locks the name map against other evolvers until the transaction ends. */
  public abstract String lockNameMap(String schema);

  /**
   * The claims of some tables: parameters {@code tableCount} table names; result {@code table_name,
   * column_name, path_hash, source_path}.
   */
  public String selectNameMap(String schema, int tableCount) {
    return "SELECT "
        + quotedList(List.of("table_name", "column_name", "path_hash", "source_path"))
        + " FROM "
        + table(schema, TableKind.COLUMNS.fixedName())
        + " WHERE "
        + quote("table_name")
        + " IN ("
        + placeholders(tableCount)
        + ")";
  }

  /** Inserts one row into {@code table}: parameters are its columns, in table order. */
  public String insert(String schema, TableSchema table) {
    List<String> names = new ArrayList<>();
    for (Column c : table.columns()) {
      names.add(c.name());
    }
    return "INSERT INTO "
        + table(schema, table.name())
        + " ("
        + quotedList(names)
        + ") VALUES ("
        + placeholders(names.size())
        + ")";
  }

  // ---------------------------------------------------------------------------------------------
  // Derived tables

  /**
   * Recomputes the rows of a derived table ({@code users} or {@code accounts}) for the keys found
   * in {@code touchedTable}, from every row of its source table. Run inside the merge transaction,
   * after the batch's source rows are in the source table.
   *
   * <p>Each column gets the latest non-null value by {@code timestamp} (or {@code received_at} when
   * it is null), ties broken by {@code received_at}, then by {@code id}; {@code received_at} is the
   * latest row's, {@code uuid_ts} the newest load. The result does not depend on the order in which
   * the source rows arrived.
   *
   * @param schema the warehouse schema
   * @param derived {@link TableKind#USERS} or {@link TableKind#ACCOUNTS}
   * @param columns the non-standard columns present in both the derived and the source table
   * @param touchedSchema the schema of {@code touchedTable}, or null for a temporary table
   * @param touchedTable a table with the source key column (e.g. the batch's staging table)
   * @return a DELETE of the touched rows, then an INSERT of their recomputed values
   */
  public List<String> refreshDerived(
      String schema,
      TableKind derived,
      List<String> columns,
      String touchedSchema,
      String touchedTable) {
    checkDerived(derived);
    String key = quote(derived.sourceKey());
    String touched =
        touchedSchema == null ? quote(touchedTable) : table(touchedSchema, touchedTable);
    return refreshDerived(
        schema,
        derived,
        columns,
        "IN (SELECT " + key + " FROM " + touched + " WHERE " + key + " IS NOT NULL)");
  }

  /**
   * {@link #refreshDerived(String, TableKind, List, String, String)} for the keys given as one
   * parameter of each statement: a {@code text[]} of the keys, none null (PostgreSQL, where the
   * merge writes straight into the targets and has no staging table to read the keys from).
   *
   * @throws UnsupportedOperationException on a warehouse without array parameters (Redshift)
   */
  public List<String> refreshDerived(String schema, TableKind derived, List<String> columns) {
    checkDerived(derived);
    return refreshDerived(schema, derived, columns, "= ANY(?)");
  }

  private static void checkDerived(TableKind derived) {
    if (!derived.derived()) {
      throw new IllegalArgumentException("not a derived table: " + derived);
    }
  }

  /** The DELETE and INSERT of a refresh; {@code touched} completes {@code "key" ...}. */
  private List<String> refreshDerived(
      String schema, TableKind derived, List<String> columns, String touched) {
    String key = quote(derived.sourceKey());
    String latest =
        "COALESCE("
            + quote("timestamp")
            + ", "
            + quote("received_at")
            + ") DESC NULLS LAST, "
            + quote("received_at")
            + " DESC NULLS LAST, "
            + quote("id")
            + " DESC";
    String target = table(schema, derived.fixedName());
    List<String> names = new ArrayList<>(List.of("id", "received_at", "uuid_ts"));
    names.addAll(columns);
    StringBuilder select = new StringBuilder();
    select.append("SELECT \"_key\", \"_received_at\", \"_uuid_ts\"");
    for (int i = 0; i < columns.size(); i++) {
      select.append(", \"_v").append(i).append('"');
    }
    select.append(" FROM (\n  SELECT ").append(key).append(" AS \"_key\", ");
    select.append(quote("received_at")).append(" AS \"_received_at\",\n");
    select.append("    MAX(").append(quote("uuid_ts")).append(") OVER (PARTITION BY ");
    select.append(key).append(") AS \"_uuid_ts\",\n");
    for (int i = 0; i < columns.size(); i++) {
      String c = quote(columns.get(i));
      select.append("    FIRST_VALUE(").append(c).append(") OVER (PARTITION BY ").append(key);
      select.append(" ORDER BY CASE WHEN ").append(c).append(" IS NULL THEN 1 ELSE 0 END, ");
      select.append(latest);
      select.append(" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS \"_v");
      select.append(i).append("\",\n");
    }
    select.append("    ROW_NUMBER() OVER (PARTITION BY ").append(key).append(" ORDER BY ");
    select.append(latest).append(") AS \"_rn\"\n");
    select.append("  FROM ").append(table(schema, derived.source().fixedName()));
    select.append("\n  WHERE ").append(key).append(' ').append(touched).append("\n");
    select.append(") AS \"_latest\"\nWHERE \"_rn\" = 1");
    return List.of(
        "DELETE FROM " + target + " WHERE " + quote("id") + " " + touched,
        "INSERT INTO " + target + " (" + quotedList(names) + ")\n" + select);
  }

  // ---------------------------------------------------------------------------------------------
  // Loading: staging tables and loaders

  /**
   * True when the warehouse enforces {@code PRIMARY KEY (id)} on the library's tables (PostgreSQL),
   * so the merge's dedup against the target is exact without a {@code received_at} window.
   */
  public abstract boolean enforcesPrimaryKey();

  /**
   * The JDBC parameter for a timestamp value: a {@code LocalDateTime} in UTC for Redshift's {@code
   * TIMESTAMP} (without time zone), an {@code OffsetDateTime} in UTC for PostgreSQL's {@code
   * timestamptz}. Either way the session's time zone plays no part.
   */
  public abstract Object timestampParameter(Instant value);

  /**
   * {@code CREATE TEMP TABLE "staging" (LIKE "schema"."target")}: a session-private table with the
   * target's columns (and on Redshift its distribution key, so the merge's join is collocated).
   */
  public String createStaging(String staging, String schema, String target) {
    return "CREATE TEMP TABLE " + quote(staging) + " (LIKE " + table(schema, target) + ")";
  }

  /** {@code DROP TABLE IF EXISTS "staging"}. */
  public String dropStaging(String staging) {
    return "DROP TABLE IF EXISTS " + quote(staging);
  }

  /**
   * A multi-row INSERT into a staging table: {@code rows} rows of {@code columns.size()} {@code ?}
   * parameters each, row after row.
   */
  public String insertRows(String staging, List<String> columns, int rows) {
    return insertRows(null, staging, columns, rows);
  }

  /**
   * A multi-row INSERT into {@code "schema"."table"}, or into the session's temporary {@code
   * "table"} when {@code schema} is null: {@code rows} rows of {@code columns.size()} {@code ?}
   * parameters each, row after row.
   */
  public String insertRows(String schema, String table, List<String> columns, int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("rows <= 0: " + rows);
    }
    String row = "(" + placeholders(columns.size()) + ")";
    StringBuilder sql =
        new StringBuilder(32 + rows * (row.length() + 2))
            .append("INSERT INTO ")
            .append(schema == null ? quote(table) : table(schema, table))
            .append(" (")
            .append(quotedList(columns))
            .append(") VALUES ");
    for (int i = 0; i < rows; i++) {
      if (i > 0) {
        sql.append(", ");
      }
      sql.append(row);
    }
    return sql.toString();
  }

  /**
   * PostgreSQL's {@code COPY "staging" (columns) FROM STDIN (FORMAT csv)}: an unquoted empty field
   * is NULL, a quoted {@code ""} the empty string.
   */
  public String copyFromStdin(String staging, List<String> columns) {
    return copyFromStdin(null, staging, columns);
  }

  /**
   * {@link #copyFromStdin(String, List)} into {@code "schema"."table"}, or into the session's
   * temporary {@code "table"} when {@code schema} is null.
   */
  public String copyFromStdin(String schema, String table, List<String> columns) {
    return "COPY "
        + (schema == null ? quote(table) : table(schema, table))
        + " ("
        + quotedList(columns)
        + ") FROM STDIN (FORMAT csv)";
  }

  /**
   * PostgreSQL's {@code COPY "schema"."table" (columns) FROM STDIN (FORMAT binary)} (into the
   * session's temporary {@code "table"} when {@code schema} is null): values in their types' binary
   * form.
   */
  public String copyBinaryFromStdin(String schema, String table, List<String> columns) {
    return "COPY "
        + (schema == null ? quote(table) : table(schema, table))
        + " ("
        + quotedList(columns)
        + ") FROM STDIN (FORMAT binary)";
  }

  /**
   * Redshift's COPY of gzip CSV files listed in a manifest into a staging table. Exactly one of
   * {@code iamRole} and {@code credentials} is given. The statement carries the credentials when
   * they are given: never log it.
   *
   * @param staging the staging table
   * @param columns the columns, in the files' field order
   * @param manifestUrl the manifest's {@code s3://bucket/key}
   * @param iamRole an IAM role ARN, or null
   * @param credentials a Redshift {@code CREDENTIALS} string, or null
   * @param nullMarker the text that stands for NULL in the files ({@code NULL AS})
   */
  public String copyFromS3(
      String staging,
      List<String> columns,
      String manifestUrl,
      String iamRole,
      String credentials,
      String nullMarker) {
    if ((iamRole == null) == (credentials == null)) {
      throw new IllegalArgumentException("exactly one of iamRole and credentials is required");
    }
    return "COPY "
        + quote(staging)
        + " ("
        + quotedList(columns)
        + ")\nFROM "
        + literal(manifestUrl)
        + (iamRole != null
            ? " IAM_ROLE " + literal(iamRole)
            : " CREDENTIALS " + literal(credentials))
        + "\nMANIFEST CSV GZIP TIMEFORMAT 'auto' NULL AS "
        + literal(nullMarker)
        + " COMPUPDATE OFF STATUPDATE OFF";
  }

  /** The number of slices of the cluster: {@code SELECT COUNT(*) FROM stv_slices}. */
  public String sliceCount() {
    return "SELECT COUNT(*) FROM stv_slices";
  }

  /** The query id of the session's last COPY: {@code SELECT pg_last_copy_id()}. */
  public String lastCopyId() {
    return "SELECT pg_last_copy_id()";
  }

  /**
   * The rows a COPY refused, from {@code stl_load_errors}; parameter: the COPY's query id. Result:
   * {@code filename, line_number, colname, err_code, err_reason}, trimmed. The raw values are not
   * read: they stay in the warehouse.
   */
  public String loadErrors() {
    return "SELECT TRIM(filename), line_number, TRIM(colname), err_code, TRIM(err_reason)"
        + " FROM stl_load_errors WHERE query = ? ORDER BY line_number";
  }

  /**
   * A SQL string literal of a configuration value (an S3 URL, a role ARN, a NULL marker): single
   * quotes doubled. Refuses backslashes and control characters, which the warehouses' literals
   * could treat specially.
   */
  public final String literal(String value) {
    if (value == null) {
      throw new NullPointerException("value == null");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw new IllegalArgumentException("literal has a control character or backslash at " + i);
      }
    }
    return "'" + value.replace("'", "''") + "'";
  }

  // ---------------------------------------------------------------------------------------------
  // Merge

  /**
   * The statement that locks {@code tables} against other merges until the transaction ends. The
   * merge runs it first, with the tables in one fixed order, so concurrent merges queue instead of
   * failing with serialization errors or deadlocks.
   */
  public abstract String lockTables(String schema, List<String> tables);

  /**
   * Inserts the staged rows whose {@code id} the target does not have yet. With {@code windowed},
   * only target rows with {@code received_at >= ?} (the parameter) are compared, which keeps the
   * anti-join within a few blocks of Redshift's sort key.
   */
  public String insertNew(String schema, TableSchema table, String staging, boolean windowed) {
    List<String> names = new ArrayList<>(table.columns().size());
    for (Column c : table.columns()) {
      names.add(c.name());
    }
    String columns = quotedList(names);
    return "INSERT INTO "
        + table(schema, table.name())
        + " ("
        + columns
        + ")\nSELECT "
        + columns
        + " FROM "
        + quote(staging)
        + " AS \"_new\"\nWHERE NOT EXISTS (SELECT 1 FROM "
        + table(schema, table.name())
        + " AS \"_old\" WHERE \"_old\"."
        + quote("id")
        + " = \"_new\"."
        + quote("id")
        + (windowed ? " AND \"_old\"." + quote("received_at") + " >= ?" : "")
        + ")";
  }

  /**
   * Which of some ids some tables already have, in one statement: parameter {@code i + 1} is a
   * {@code text[]} of ids for {@code tables.get(i)}; result {@code (i, id)} per id found. One probe
   * of the primary key per id (PostgreSQL, where the merge writes straight into the targets and
   * drops the rows whose id is there).
   *
   * @throws UnsupportedOperationException on a warehouse without array parameters (Redshift)
   */
  public String selectExistingIds(String schema, List<String> tables) {
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("tables is empty");
    }
    StringJoiner union = new StringJoiner("\nUNION ALL ");
    for (int i = 0; i < tables.size(); i++) {
      union.add(
          "SELECT "
              + i
              + ", "
              + quote("id")
              + " FROM "
              + table(schema, tables.get(i))
              + " WHERE "
              + quote("id")
              + " = ANY(?)");
    }
    return union.toString();
  }

  /**
   * The ledger row of a batch, if it was committed before: parameter the batch id; result {@code
   * table_counts, copy_query_ids, discard_count, loader}.
   */
  public String selectLoad(String schema) {
    return "SELECT "
        + quotedList(List.of("table_counts", "copy_query_ids", "discard_count", "loader"))
        + " FROM "
        + table(schema, TableKind.LOADS.fixedName())
        + " WHERE "
        + quote("batch_id")
        + " = ?";
  }

  // ---------------------------------------------------------------------------------------------
  // Errors

  /**
   * True when a DDL failure comes from another session changing the same objects at the same time
   * (the object already exists, a catalog unique-key race, a serialization failure): re-read the
   * catalog and try again.
   */
  public boolean isConcurrentDdl(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      String state = x.getSQLState();
      String message = x.getMessage() == null ? "" : x.getMessage().toLowerCase(Locale.ROOT);
      if (state != null
          && switch (state) {
            case "42P07", "42701", "42P06", "42710", "23505", "40001", "40P01" -> true;
            default -> false;
          }) {
        return true;
      }
      if (message.contains("already exists")
          || message.contains("concurrent")
          || message.contains("serializable isolation violation")) {
        return true;
      }
    }
    return false;
  }

  /** {@code "schema"."a", "schema"."b"}; refuses an empty list. */
  final String tableList(String schema, List<String> tables) {
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("tables is empty");
    }
    StringJoiner j = new StringJoiner(", ");
    for (String t : tables) {
      j.add(table(schema, t));
    }
    return j.toString();
  }

  static String placeholders(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n <= 0: " + n);
    }
    StringJoiner j = new StringJoiner(", ");
    for (int i = 0; i < n; i++) {
      j.add("?");
    }
    return j.toString();
  }

  @Override
  public String toString() {
    return name();
  }
}
