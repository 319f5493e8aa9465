package io.segmentredshift.schema;

import io.segmentredshift.typemap.ColumnType.Kind;
import io.segmentredshift.typemap.TypeMapper;
import java.util.Comparator;

/**
 * What a batch brought for one field of one table: the join of its values' kinds and the length of
 * its longest value as text. Accumulating is order-independent: the join is commutative and
 * associative, and the maximum is too.
 */
final class FieldStats {
  /**
   * The order in which new fields claim names and column budget: by name, then the field whose
   * source keys already are the name, then by path. It decides which of two colliding fields keeps
   * the plain name, and which fields fit a budget, the same way whatever the event order.
   */
  static final Comparator<FieldStats> ORDER =
      Comparator.comparing((FieldStats f) -> f.name)
          .thenComparing(f -> !f.exact)
          .thenComparing(f -> f.path);

  final String path;
  final String name;
  final boolean exact;
  Kind kind;
  int longest;

  FieldStats(String path, String name, boolean exact) {
    this.path = path;
    this.name = name;
    this.exact = exact;
  }

  /** Adds what {@code other} (the same field in another part of the batch) observed. */
  void addAll(FieldStats other) {
    kind = TypeMapper.join(kind, other.kind);
    longest = Math.max(longest, other.longest);
  }

  void observe(Object value, TypeMapper types) {
    Kind k = TypeMapper.kindOf(value);
    if (k == null) {
      return;
    }
    kind = TypeMapper.join(kind, k);
    longest = Math.max(longest, types.textLength(value));
  }
}
