/**
 * Column types and the rules that map JSON values onto them: {@link
 * io.segmentredshift.typemap.ColumnType}, {@link io.segmentredshift.typemap.TypeMapper} (kind of a
 * value, the order-independent join, varchar widths, lossless coercion) and {@link
 * io.segmentredshift.typemap.DiscardReason}, the reasons recorded in {@code _discards}.
 *
 * <p>This package depends on nothing else in the library.
 */
package io.segmentredshift.typemap;
