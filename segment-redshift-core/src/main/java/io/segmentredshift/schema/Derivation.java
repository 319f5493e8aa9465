package io.segmentredshift.schema;

import java.util.List;

/**
 * How a derived table ({@code users}, {@code accounts}) is computed from its source table ({@code
 * identifies}, {@code groups}): the columns the merge copies, present in both with the same type.
 * See {@link io.segmentredshift.dialect.Dialect#refreshDerived}.
 *
 * @param table the derived table
 * @param source its source table
 * @param columns the non-standard columns to copy, by name
 */
public record Derivation(TableSchema table, TableSchema source, List<String> columns) {
  /** Copies the list. */
  public Derivation {
    columns = List.copyOf(columns);
  }
}
