/**
 * Segment's warehouse layout and the schema that follows the data.
 *
 * <p>A load runs in two passes over a batch, holding one event's rows at a time:
 *
 * <pre>{@code
 * WarehouseLayout layout = new WarehouseLayout(dialect);
 * BatchSchema needs = new BatchSchema(dialect);
 * for (Event e : batch) needs.add(layout.rows(e, loadedAt));          // pass 1: learn
 * ResolvedSchema schema = evolver.evolve(needs);                       // DDL, name map
 * for (Event e : batch)
 *   for (LoadRow row : schema.rows(layout.rows(e, loadedAt))) ...       // pass 2: load
 * }</pre>
 *
 * <p>{@link io.segmentredshift.schema.Identifiers} makes names, {@link
 * io.segmentredshift.schema.WarehouseLayout} rows, {@link io.segmentredshift.schema.BatchSchema}
 * sums up what a batch needs, {@link io.segmentredshift.schema.SchemaEvolver} plans and applies DDL
 * and the name map, and {@link io.segmentredshift.schema.ResolvedSchema} coerces values and makes
 * {@code _discards} rows. The rules are in {@code LAYOUT.md} of this module.
 */
package io.segmentredshift.schema;
