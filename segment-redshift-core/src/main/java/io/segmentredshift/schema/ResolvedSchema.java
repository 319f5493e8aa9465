package io.segmentredshift.schema;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.typemap.ColumnType;
import io.segmentredshift.typemap.ColumnType.Kind;
import io.segmentredshift.typemap.DiscardReason;
import io.segmentredshift.typemap.JsonText;
import io.segmentredshift.typemap.TypeMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The warehouse schema a batch is loaded into, as it is after {@link SchemaEvolver#evolve}: the
 * real tables (read back from the catalog) and the column of every field. Pass 2 of a load turns
 * each event's rows into {@link LoadRow}s here; values that do not fit become {@code _discards}
 * rows. Immutable and thread-safe.
 */
public final class ResolvedSchema {
  private final TypeMapper types;
  private final Map<String, TableSchema> tables;
  private final Map<String, Map<String, String>> columns;

  /** Per table, source path to column index (-1: the column is not in the table). */
  private final Map<String, Map<String, Integer>> indexes;

  ResolvedSchema(
      Dialect dialect, Map<String, TableSchema> tables, Map<String, Map<String, String>> columns) {
    this.types = dialect.typeMapper();
    this.tables = Map.copyOf(tables);
    this.columns = Map.copyOf(columns);
    Map<String, Map<String, Integer>> indexes = new HashMap<>();
    for (Map.Entry<String, Map<String, String>> t : this.columns.entrySet()) {
      TableSchema table = this.tables.get(t.getKey());
      Map<String, Integer> byPath = new HashMap<>(t.getValue().size() * 2);
      for (Map.Entry<String, String> c : t.getValue().entrySet()) {
        byPath.put(c.getKey(), table == null ? -1 : table.indexOf(c.getValue()));
      }
      indexes.put(t.getKey(), byPath);
    }
    this.indexes = indexes;
  }

  /** The table called {@code name}, or null when the batch does not touch it. */
  public TableSchema table(String name) {
    return tables.get(name);
  }

  /** Every table the batch touches (its own, the derived ones, the library's), by name. */
  public List<TableSchema> tables() {
    return tables.values().stream().sorted(Comparator.comparing(TableSchema::name)).toList();
  }

  /**
   * The column that holds the field at {@code path} in {@code table}, or null (none: discarded).
   */
  public String column(String table, String path) {
    Map<String, String> byPath = columns.get(table);
    return byPath == null ? null : byPath.get(path);
  }

  /** The derived tables the merge must refresh, with the columns it copies. */
  public List<Derivation> derivations() {
    List<Derivation> out = new ArrayList<>(2);
    for (TableKind kind : List.of(TableKind.USERS, TableKind.ACCOUNTS)) {
      TableSchema derived = tables.get(kind.fixedName());
      TableSchema source = tables.get(kind.source().fixedName());
      if (derived == null || source == null) {
        continue;
      }
      List<String> copied = new ArrayList<>();
      for (Column c : derived.columns()) {
        Column s = source.column(c.name());
        if (!kind.isStandard(c.name()) && s != null && fits(s.type(), c.type())) {
          copied.add(c.name());
        }
      }
      out.add(new Derivation(derived, source, copied));
    }
    return out;
  }

  private static boolean fits(ColumnType from, ColumnType to) {
    if (from.kind() != to.kind() || from.kind() == Kind.OTHER) {
      return false;
    }
    return from.kind() != Kind.VARCHAR
        || to.unbounded()
        || (!from.unbounded() && from.width() <= to.width());
  }

  /**
   * The rows to load for one event: one per table row, every value coerced to its column's type,
   * and one {@code _discards} row per value that could not be loaded (including those the layout
   * already discarded).
   *
   * @throws IllegalArgumentException when a row's table was not part of the evolved batch
   */
  public List<LoadRow> rows(EventRows eventRows) {
    List<LoadRow> out = new ArrayList<>(eventRows.rows().size() + eventRows.discards().size());
    List<Discard> discards = null;
    for (TableRow row : eventRows.rows()) {
      TableSchema table = tables.get(row.table());
      if (table == null) {
        throw new IllegalArgumentException("table not in the evolved batch: " + row.table());
      }
      Map<String, Integer> byPath = indexes.getOrDefault(row.table(), Map.of());
      List<Column> columnList = table.columns();
      Object[] values = new Object[columnList.size()];
      for (Field field : row.fields()) {
        int index;
        if (field.standard()) {
          index = table.indexOf(field.name());
        } else {
          Integer i = byPath.get(field.path());
          index = i == null ? -1 : i;
        }
        if (index < 0) {
          DiscardReason reason =
              field.value() instanceof String s && !TypeMapper.validText(s)
                  ? DiscardReason.INVALID_TEXT
                  : DiscardReason.COLUMN_BUDGET;
          discards = add(discards, discard(row, field, field.name(), reason, null));
          continue;
        }
        Column column = columnList.get(index);
        Object coerced = types.coerceValue(field.value(), column.type());
        if (coerced instanceof DiscardReason rejected) {
          discards = add(discards, discard(row, field, column.name(), rejected, column.type()));
        } else {
          values[index] = coerced;
        }
      }
      out.add(new LoadRow(table, values));
    }
    for (Discard d : eventRows.discards()) {
      out.add(discardRow(d, eventRows.loadedAt()));
    }
    if (discards != null) {
      for (Discard d : discards) {
        out.add(discardRow(d, eventRows.loadedAt()));
      }
    }
    return out;
  }

  private static List<Discard> add(List<Discard> list, Discard d) {
    List<Discard> out = list == null ? new ArrayList<>(2) : list;
    out.add(d);
    return out;
  }

  private static Discard discard(
      TableRow row, Field field, String column, DiscardReason reason, ColumnType type) {
    return new Discard(
        row.table(), column, field.path(), row.id(), row.receivedAt(), reason, field.value(), type);
  }

  /**
   * The {@code _discards} row for {@code d}. Its id is a hash of table, row id, path and reason, so
   * loading the same event twice gives the same row (the merge dedups it like any other). The raw
   * value is kept as JSON text (a string in quotes), so that NUL and other characters no warehouse
   * stores are escaped; if that text is wider than the column it is cut and {@code
   * raw_value_truncated} says so.
   */
  public LoadRow discardRow(Discard d, Instant loadedAt) {
    TableSchema table = tables.get(TableKind.DISCARDS.fixedName());
    Object[] values = new Object[table.columns().size()];
    String path = d.path() == null ? "" : d.path();
    String raw =
        d.value() instanceof Instant i ? JsonText.quote(i.toString()) : JsonText.write(d.value());
    String id =
        Identifiers.sha256(
            d.table()
                + "\n"
                + (d.rowId() == null ? raw : d.rowId())
                + "\n"
                + path
                + "\n"
                + d.reason());
    Column rawColumn = table.column("raw_value");
    String rawFit = rawColumn == null ? raw : fit(raw, rawColumn.type());
    for (int i = 0; i < values.length; i++) {
      Column c = table.columns().get(i);
      values[i] =
          switch (c.name()) {
            case "id" -> id;
            case "table_name" -> d.table();
            case "column_name" -> d.column();
            case "source_path" -> fit(path, c.type());
            case "row_id" -> d.rowId();
            case "received_at" -> d.receivedAt();
            case "reason" -> d.reason().name();
            case "column_type" -> d.columnType() == null ? null : d.columnType().toString();
            case "raw_value" -> rawFit;
            case "raw_value_truncated" -> rawFit.length() < raw.length();
            case "uuid_ts" -> loadedAt;
            default -> null;
          };
    }
    return new LoadRow(table, values);
  }

  /** {@code text} cut to a varchar's width, at a character boundary. */
  private String fit(String text, ColumnType type) {
    if (type.kind() != Kind.VARCHAR || type.unbounded() || types.length(text) <= type.width()) {
      return text;
    }
    int used = 0;
    int end = 0;
    while (end < text.length()) {
      int next = end + Character.charCount(text.codePointAt(end));
      used += types.length(text.substring(end, next));
      if (used > type.width()) {
        break;
      }
      end = next;
    }
    return text.substring(0, end);
  }
}
