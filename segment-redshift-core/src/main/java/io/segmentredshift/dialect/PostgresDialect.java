package io.segmentredshift.dialect;

import io.segmentredshift.schema.Column;
import io.segmentredshift.schema.TableKind;
import io.segmentredshift.schema.TableSchema;
import io.segmentredshift.typemap.ColumnType;
import io.segmentredshift.typemap.LengthUnit;
import io.segmentredshift.typemap.TypeMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/** PostgreSQL. */
final class PostgresDialect extends Dialect {
  static final PostgresDialect INSTANCE = new PostgresDialect();

  private static final TypeMapper TYPES =
      new TypeMapper(LengthUnit.CHARACTERS, ColumnType.UNBOUNDED);

  private PostgresDialect() {}

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public int maxIdentifierBytes() {
    return 63;
  }

  @Override
  public Set<String> reservedWords() {
    return ReservedWords.POSTGRES;
  }

  @Override
  public TypeMapper typeMapper() {
    return TYPES;
  }

  @Override
  public boolean widenOutsideTransaction() {
    return false;
  }

  @Override
  public String sqlType(ColumnType type) {
    return switch (type.kind()) {
      case BOOLEAN -> "boolean";
      case BIGINT -> "bigint";
      case DOUBLE -> "double precision";
      // timestamptz: an instant; input offsets are converted to UTC instead of being ignored.
      case TIMESTAMP -> "timestamptz";
      // text: no width to outgrow, so a PostgreSQL string column never needs widening.
      case VARCHAR -> "text";
      case OTHER -> throw new IllegalArgumentException("no DDL for a foreign type: " + type);
    };
  }

  /**
   * CREATE TABLE with an enforced primary key (so dedup on id is enforced and the merge's anti-join
   * is indexed) and, for identifies and groups, an index on the key the users and accounts refresh
   * reads by.
   */
  @Override
  public List<String> createTable(String schema, TableSchema table) {
    TableKind kind = table.kind();
    StringBuilder sql =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ")
            .append(table(schema, table.name()))
            .append(" (\n")
            .append(columnDefinitions(table))
            .append(",\n  PRIMARY KEY (")
            .append(quotedList(kind.primaryKey()))
            .append(")");
    if (kind == TableKind.COLUMNS) {
      sql.append(",\n  UNIQUE (").append(quotedList(List.of("table_name", "column_name")));
      sql.append(")");
    }
    sql.append("\n)");
    List<String> out = new ArrayList<>(2);
    out.add(sql.toString());
    TableKind derived = kind.derivedTable();
    if (derived != null) {
      String key = derived.sourceKey();
      out.add(
          "CREATE INDEX IF NOT EXISTS "
              + quote(table.name() + "_" + key + "_idx")
              + " ON "
              + table(schema, table.name())
              + " ("
              + quote(key)
              + ")");
    }
    return out;
  }

  /** One statement for all columns; IF NOT EXISTS makes a concurrent evolver harmless. */
  @Override
  public List<String> addColumns(String schema, String table, List<Column> columns) {
    if (columns.isEmpty()) {
      return List.of();
    }
    StringJoiner adds = new StringJoiner(",\n");
    for (Column c : columns) {
      adds.add("  ADD COLUMN IF NOT EXISTS " + quote(c.name()) + " " + sqlType(c.type()));
    }
    return List.of("ALTER TABLE " + table(schema, table) + "\n" + adds);
  }

  /** Attribute slots including dropped columns, which still count against the 1600 limit. */
  @Override
  public String columnSlotsQuery(int tableCount) {
    return "SELECT c.relname AS table_name, count(*) AS slots"
        + " FROM pg_catalog.pg_attribute a"
        + " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE n.nspname = ? AND c.relname IN ("
        + placeholders(tableCount)
        + ") AND a.attnum > 0 GROUP BY c.relname";
  }

  @Override
  public boolean enforcesPrimaryKey() {
    return true;
  }

  @Override
  public Object timestampParameter(Instant value) {
    return OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
  }

  /**
   * SHARE ROW EXCLUSIVE: conflicts with itself and with writers, so merges queue, while readers go
   * on reading.
   */
  @Override
  public String lockTables(String schema, List<String> tables) {
    return "LOCK TABLE " + tableList(schema, tables) + " IN SHARE ROW EXCLUSIVE MODE";
  }

  @Override
  public String lockNameMap(String schema) {
    return "LOCK TABLE "
        + table(schema, TableKind.COLUMNS.fixedName())
        + " IN SHARE ROW EXCLUSIVE MODE";
  }
}
