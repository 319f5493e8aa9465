package io.segmentredshift.dialect;

import io.segmentredshift.schema.Column;
import io.segmentredshift.schema.TableKind;
import io.segmentredshift.schema.TableSchema;
import io.segmentredshift.typemap.ColumnType;
import io.segmentredshift.typemap.LengthUnit;
import io.segmentredshift.typemap.TypeMapper;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Amazon Redshift. */
final class RedshiftDialect extends Dialect {
  static final RedshiftDialect INSTANCE = new RedshiftDialect();

  /** Redshift's widest VARCHAR, in bytes. */
  static final int MAX_VARCHAR = 65535;

  private static final TypeMapper TYPES = new TypeMapper(LengthUnit.UTF8_BYTES, MAX_VARCHAR);

  private RedshiftDialect() {}

  @Override
  public String name() {
    return "redshift";
  }

  @Override
  public int maxIdentifierBytes() {
    return 127;
  }

  @Override
  public Set<String> reservedWords() {
    return ReservedWords.REDSHIFT;
  }

  @Override
  public TypeMapper typeMapper() {
    return TYPES;
  }

  @Override
  public boolean widenOutsideTransaction() {
    return true;
  }

  @Override
  public String sqlType(ColumnType type) {
    return switch (type.kind()) {
      case BOOLEAN -> "BOOLEAN";
      case BIGINT -> "BIGINT";
      case DOUBLE -> "DOUBLE PRECISION";
      // TIMESTAMP without time zone, as Segment's warehouses: values are written in UTC.
      case TIMESTAMP -> "TIMESTAMP";
      case VARCHAR -> "VARCHAR(" + Math.min(type.width(), MAX_VARCHAR) + ")";
      case OTHER -> throw new IllegalArgumentException("no DDL for a foreign type: " + type);
    };
  }

  /**
   * CREATE TABLE with Segment's physical design: call tables are distributed on {@code id} and
   * sorted on {@code received_at}; users and accounts on {@code id} both ways, since the merge
   * deletes and inserts by id; the small ledger tables keep Redshift's automatic choice. No ENCODE:
   * Redshift picks encodings itself for new tables.
   */
  @Override
  public List<String> createTable(String schema, TableSchema table) {
    StringBuilder sql =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ")
            .append(table(schema, table.name()))
            .append(" (\n")
            .append(columnDefinitions(table))
            .append("\n)");
    TableKind kind = table.kind();
    if (kind.callTable() || kind == TableKind.DISCARDS) {
      sql.append("\nDISTKEY(").append(quote("id")).append(")");
      sql.append("\nSORTKEY(").append(quote("received_at")).append(")");
    } else if (kind.derived()) {
      sql.append("\nDISTKEY(").append(quote("id")).append(")");
      sql.append("\nSORTKEY(").append(quote("id")).append(")");
    }
    return List.of(sql.toString());
  }

  /** One statement per column: Redshift adds one column per ALTER TABLE. */
  @Override
  public List<String> addColumns(String schema, String table, List<Column> columns) {
    List<String> out = new ArrayList<>(columns.size());
    for (Column c : columns) {
      out.add(
          "ALTER TABLE "
              + table(schema, table)
              + " ADD COLUMN "
              + quote(c.name())
              + " "
              + sqlType(c.type()));
    }
    return out;
  }

  @Override
  public String columnSlotsQuery(int tableCount) {
    return null;
  }

  @Override
  public boolean enforcesPrimaryKey() {
    return false;
  }

  /** Redshift has no array parameters: its merge reads the keys from the staging table. */
  @Override
  public List<String> refreshDerived(String schema, TableKind derived, List<String> columns) {
    throw new UnsupportedOperationException("Redshift has no array parameters");
  }

  /** Redshift has no array parameters and no enforced keys: its merge anti-joins the staging. */
  @Override
  public String selectExistingIds(String schema, List<String> tables) {
    throw new UnsupportedOperationException("Redshift has no array parameters");
  }

  @Override
  public Object timestampParameter(Instant value) {
    return LocalDateTime.ofInstant(value, ZoneOffset.UTC);
  }

  /** Redshift's LOCK takes an exclusive lock (readers wait too) until the transaction ends. */
  @Override
  public String lockTables(String schema, List<String> tables) {
    return "LOCK " + tableList(schema, tables);
  }

  @Override
  public String lockNameMap(String schema) {
    return "LOCK " + table(schema, TableKind.COLUMNS.fixedName());
  }
}
