package io.segmentredshift.schema;

/** Test-only: builds {@link LoadRow}s directly, for tests of code that consumes them. */
public final class TestRows {
  private TestRows() {}

  /** A row of {@code table} with {@code values} in column order. */
  public static LoadRow row(TableSchema table, Object... values) {
    return new LoadRow(table, values.clone());
  }
}
