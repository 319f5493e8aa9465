package io.segmentredshift.schema;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.typemap.TypeMapper;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a batch needs from the warehouse: per table, every field with the joined kind of its values
 * and its longest value. Pass 1 of a load adds each event's rows here and then hands this to {@link
 * SchemaEvolver#evolve}; the rows themselves are not kept.
 *
 * <p>The result does not depend on the order in which rows are added. Memory is bounded by the
 * number of distinct fields, at most {@value #MAX_FIELDS_PER_TABLE} per table: beyond that only the
 * first fields in {@link FieldStats#ORDER} are kept (the others could never all become columns),
 * and the rest of the batch's values for them go to {@code _discards} as over the column budget.
 * Not thread-safe.
 */
public final class BatchSchema {
  /** The most fields tracked per table: four times the warehouses' column limit. */
  public static final int MAX_FIELDS_PER_TABLE = 4 * SchemaEvolver.MAX_COLUMNS;

  private final TypeMapper types;
  private final SortedMap<String, TableNeeds> tables = new TreeMap<>();
  private long rows;

  /** An empty summary for {@code dialect}, whose unit measures varchar lengths. */
  public BatchSchema(Dialect dialect) {
    this.types = Objects.requireNonNull(dialect, "dialect == null").typeMapper();
  }

  /** Adds what one event's rows need. */
  public void add(EventRows eventRows) {
    for (TableRow row : eventRows.rows()) {
      TableNeeds needs = tables.computeIfAbsent(row.table(), n -> new TableNeeds(n, row.kind()));
      needs.add(row, types);
      rows++;
    }
  }

  /**
   * Adds everything {@code other} holds, as if its rows had been added here (the summary does not
   * depend on the order of rows, so a batch may be summarised in parts, one per thread, and the
   * parts added up). {@code other} must not be used afterwards: its parts are taken over.
   *
   * @throws IllegalArgumentException when {@code other} measures lengths in another unit
   */
  public void addAll(BatchSchema other) {
    Objects.requireNonNull(other, "other == null");
    if (other.types.unit() != types.unit() || other.types.maxWidth() != types.maxWidth()) {
      throw new IllegalArgumentException("other is of another dialect");
    }
    for (TableNeeds theirs : other.tables.values()) {
      TableNeeds mine = tables.get(theirs.name);
      if (mine == null) {
        tables.put(theirs.name, theirs);
      } else {
        mine.addAll(theirs);
      }
    }
    rows += other.rows;
    other.tables.clear();
    other.rows = 0;
  }

  /** The names of the tables the batch writes, sorted. */
  public SortedSet<String> tableNames() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(tables.keySet()));
  }

  SortedMap<String, TableNeeds> tables() {
    return Collections.unmodifiableSortedMap(tables);
  }

  /** The number of rows added. */
  public long rowCount() {
    return rows;
  }

  /** True when no row was added. */
  public boolean isEmpty() {
    return rows == 0;
  }

  /** What one table needs. */
  static final class TableNeeds {
    final String name;
    final TableKind kind;
    final Map<String, FieldStats> standard = new HashMap<>();
    final TreeSet<FieldStats> fields = new TreeSet<>(FieldStats.ORDER);
    final Map<String, FieldStats> byPath = new HashMap<>();
    boolean feedsDerived;
    boolean overflow;

    TableNeeds(String name, TableKind kind) {
      this.name = name;
      this.kind = kind;
    }

    void add(TableRow row, TypeMapper types) {
      for (Field f : row.fields()) {
        if (f.standard()) {
          FieldStats stats = standard.get(f.name());
          if (stats == null) {
            stats = new FieldStats(f.path(), f.name(), true);
            standard.put(f.name(), stats);
          }
          stats.observe(f.value(), types);
          continue;
        }
        FieldStats stats = byPath.get(f.path());
        if (stats == null) {
          stats = new FieldStats(f.path(), f.name(), f.exact());
          fields.add(stats);
          byPath.put(f.path(), stats);
          if (fields.size() > MAX_FIELDS_PER_TABLE) {
            // Once dropped, a field never comes back: the set only ever keeps smaller ones.
            FieldStats dropped = fields.pollLast();
            byPath.remove(dropped.path);
            overflow = true;
            if (dropped == stats) {
              continue;
            }
          }
        }
        stats.observe(f.value(), types);
      }
      TableKind derived = kind.derivedTable();
      if (derived != null && standard.containsKey(derived.sourceKey())) {
        feedsDerived = true;
      }
    }

    /**
     * Adds the fields of {@code other} (the same table in another part of the batch). The kept
     * fields end as the first {@value #MAX_FIELDS_PER_TABLE} in {@link FieldStats#ORDER} of both
     * parts together, each with the stats of both: a field among those is among the first of each
     * part too, so neither part dropped it.
     */
    void addAll(TableNeeds other) {
      for (FieldStats theirs : other.standard.values()) {
        FieldStats mine = standard.get(theirs.name);
        if (mine == null) {
          standard.put(theirs.name, theirs);
        } else {
          mine.addAll(theirs);
        }
      }
      for (FieldStats theirs : other.fields) {
        FieldStats mine = byPath.get(theirs.path);
        if (mine != null) {
          mine.addAll(theirs);
          continue;
        }
        fields.add(theirs);
        byPath.put(theirs.path, theirs);
        if (fields.size() > MAX_FIELDS_PER_TABLE) {
          FieldStats dropped = fields.pollLast();
          byPath.remove(dropped.path);
          overflow = true;
        }
      }
      overflow |= other.overflow;
      feedsDerived |= other.feedsDerived;
    }
  }
}
