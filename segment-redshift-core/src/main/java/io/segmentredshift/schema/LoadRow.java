package io.segmentredshift.schema;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row ready for the loader: a value per column of its table, in table order, each already of
 * the column's type: null, {@link String}, {@link Boolean}, {@link Long}, {@link Double} or {@link
 * java.time.Instant} (UTC, microseconds).
 */
public final class LoadRow {
  private final TableSchema table;
  private final Object[] values;

  LoadRow(TableSchema table, Object[] values) {
    this.table = Objects.requireNonNull(table, "table == null");
    if (values.length != table.columns().size()) {
      throw new IllegalArgumentException(
          "values.length != columns: " + values.length + " != " + table.columns().size());
    }
    this.values = values;
  }

  /** The table the row goes to. */
  public TableSchema table() {
    return table;
  }

  /** The number of values (the table's column count). */
  public int size() {
    return values.length;
  }

  /** The value of the column at {@code index}. */
  public Object value(int index) {
    return values[index];
  }

  /** The value of the column called {@code column}. */
  public Object value(String column) {
    int i = table.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException("no such column in " + table.name() + ": " + column);
    }
    return values[i];
  }

  /** A copy of the values, in table order. */
  public Object[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LoadRow r && table.equals(r.table) && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    return 31 * table.hashCode() + Arrays.hashCode(values);
  }

  /** The table and the column count only: values from user data stay out of logs. */
  @Override
  public String toString() {
    return "LoadRow{" + table.name() + ", " + values.length + " columns}";
  }
}
