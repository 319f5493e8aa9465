package io.segmentredshift.schema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A warehouse table: name, kind and columns in table order. Immutable.
 *
 * <p>The loader uses the column order for its staging table and files; {@link #indexOf} finds a
 * column's position.
 */
public final class TableSchema {
  private final String name;
  private final TableKind kind;
  private final List<Column> columns;
  private final Map<String, Integer> index;

  /** A table with the given columns (copied). */
  public TableSchema(String name, TableKind kind, List<Column> columns) {
    this.name = Objects.requireNonNull(name, "name == null");
    this.kind = Objects.requireNonNull(kind, "kind == null");
    this.columns = List.copyOf(columns);
    this.index = new HashMap<>(this.columns.size() * 2);
    for (int i = 0; i < this.columns.size(); i++) {
      if (index.put(this.columns.get(i).name(), i) != null) {
        throw new IllegalArgumentException("duplicate column in " + name);
      }
    }
  }

  /** A table of a fixed kind with only its standard columns. */
  public static TableSchema standard(TableKind kind) {
    return new TableSchema(kind.fixedName(), kind, kind.standardColumns());
  }

  /** The table name. */
  public String name() {
    return name;
  }

  /** The kind of table. */
  public TableKind kind() {
    return kind;
  }

  /** The columns in table order. */
  public List<Column> columns() {
    return columns;
  }

  /** The position of the column called {@code column}, or -1. */
  public int indexOf(String column) {
    Integer i = index.get(column);
    return i == null ? -1 : i;
  }

  /** The column called {@code column}, or null. */
  public Column column(String column) {
    int i = indexOf(column);
    return i < 0 ? null : columns.get(i);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableSchema t
        && name.equals(t.name)
        && kind == t.kind
        && columns.equals(t.columns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, kind, columns);
  }

  @Override
  public String toString() {
    return name + columns;
  }
}
