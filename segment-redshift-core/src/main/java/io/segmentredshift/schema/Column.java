package io.segmentredshift.schema;

import io.segmentredshift.typemap.ColumnType;
import java.util.Objects;

/**
 * A warehouse column: its (already safe) name and its type.
 *
 * @param name the column name, as produced by {@link Identifiers}
 * @param type the column type
 */
public record Column(String name, ColumnType type) {
  /** Checks for nulls. */
  public Column {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(type, "type == null");
  }
}
