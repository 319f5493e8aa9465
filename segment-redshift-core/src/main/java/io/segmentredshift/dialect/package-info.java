/**
 * The SQL of each warehouse: {@link io.segmentredshift.dialect.Dialect#redshift()} and {@link
 * io.segmentredshift.dialect.Dialect#postgres()}. The only place in the library where SQL text is
 * built; every identifier goes through {@link io.segmentredshift.dialect.Dialect#quote}.
 *
 * <p>The dialect renders the value types of {@code io.segmentredshift.schema} ({@code TableSchema},
 * {@code Column}, {@code TableKind}) and {@code io.segmentredshift.typemap}; the schema package's
 * evolver in turn runs the dialect's statements.
 */
package io.segmentredshift.dialect;
