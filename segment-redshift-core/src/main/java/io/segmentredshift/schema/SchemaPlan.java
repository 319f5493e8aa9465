package io.segmentredshift.schema;

import java.util.List;

/**
 * A dry run of {@link SchemaEvolver#evolve}: the DDL it would run now and the tables as they would
 * then be. Nothing was written. (The real run plans again under the name-map lock, so another
 * evolver's changes in between are taken into account.)
 *
 * @param statements the DDL, in order
 * @param tables the touched tables after the DDL, by name
 */
public record SchemaPlan(List<String> statements, List<TableSchema> tables) {
  /** Copies the lists. */
  public SchemaPlan {
    statements = List.copyOf(statements);
    tables = List.copyOf(tables);
  }
}
