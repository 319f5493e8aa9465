package io.segmentredshift.load;

import io.segmentredshift.schema.Column;
import io.segmentredshift.schema.Derivation;
import io.segmentredshift.schema.Discard;
import io.segmentredshift.schema.LoadRow;
import io.segmentredshift.schema.ResolvedSchema;
import io.segmentredshift.schema.TableKind;
import io.segmentredshift.schema.TableSchema;
import io.segmentredshift.typemap.DiscardReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rows of one batch after pass 2, per table, deduplicated on {@code id}: of two rows with one
 * id the one with the later {@code received_at} stays, and on a tie the later one in the batch. So
 * each table is written every id once and the merge needs no ROW_NUMBER.
 */
final class Batch {
  private final ResolvedSchema schema;
  private final Instant loadedAt;
  private final Map<String, Rows> tables = new TreeMap<>();
  private final List<LoadError> quarantined = new ArrayList<>();

  Batch(ResolvedSchema schema, Instant loadedAt) {
    this.schema = schema;
    this.loadedAt = loadedAt;
  }

  void add(LoadRow row) {
    tables.computeIfAbsent(row.table().name(), n -> new Rows(row.table())).add(row);
  }

  /** The tables with rows, by name. */
  Collection<Rows> tables() {
    return tables.values();
  }

  /** The derived tables to refresh whose source table has rows in this batch. */
  List<Derivation> derivations() {
    List<Derivation> out = new ArrayList<>(2);
    for (Derivation d : schema.derivations()) {
      Rows source = tables.get(d.source().name());
      if (source != null && !source.isEmpty()) {
        out.add(d);
      }
    }
    return out;
  }

  boolean isEmpty() {
    for (Rows r : tables.values()) {
      if (!r.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** The rows quarantined so far. */
  List<LoadError> quarantined() {
    return quarantined;
  }

  /**
   * The distinct non-null keys of a derived table ({@code user_id}, {@code group_id}) in the rows
   * of its source table: the keys whose rows the merge recomputes.
   */
  String[] keys(String source, TableKind derived) {
    Rows rows = tables.get(source);
    Set<String> keys = new LinkedHashSet<>();
    if (rows != null) {
      int index = rows.table.indexOf(derived.sourceKey());
      for (LoadRow row : rows.byId.values()) {
        Object key = index < 0 ? null : row.value(index);
        if (key != null) {
          keys.add(String.valueOf(key));
        }
      }
    }
    return keys.toArray(new String[0]);
  }

  /**
   * Moves the refused rows out of their tables into {@code _discards} (reason {@link
   * DiscardReason#LOAD_ERROR}, the whole row as a JSON object). Row indexes refer to the rows
   * handed to the loader, per table.
   */
  void quarantine(List<LoadError> errors, Map<String, List<LoadRow>> handed) {
    Map<String, List<LoadRow>> refused = new TreeMap<>();
    List<LoadRow> discards = new ArrayList<>(errors.size());
    for (LoadError e : errors) {
      List<LoadRow> staged = handed.get(e.table());
      if (staged == null || e.rowIndex() < 0 || e.rowIndex() >= staged.size()) {
        throw new IllegalStateException("a load error names no staged row: " + e);
      }
      LoadRow row = staged.get(e.rowIndex());
      refused.computeIfAbsent(e.table(), t -> new ArrayList<>()).add(row);
      discards.add(schema.discardRow(discard(row, e), loadedAt));
      quarantined.add(e);
    }
    for (Map.Entry<String, List<LoadRow>> r : refused.entrySet()) {
      tables.get(r.getKey()).remove(r.getValue());
    }
    for (LoadRow d : discards) {
      add(d);
    }
  }

  private static Discard discard(LoadRow row, LoadError e) {
    TableSchema table = row.table();
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < row.size(); i++) {
      Object v = row.value(i);
      if (v != null) {
        values.put(table.columns().get(i).name(), v instanceof Instant t ? t.toString() : v);
      }
    }
    Column column = e.column() == null ? null : table.column(e.column());
    Object receivedAt = table.indexOf("received_at") < 0 ? null : row.value("received_at");
    return new Discard(
        table.name(),
        column == null ? null : column.name(),
        "",
        table.indexOf("id") < 0 ? null : (String) row.value("id"),
        receivedAt instanceof Instant t ? t : null,
        DiscardReason.LOAD_ERROR,
        values,
        column == null ? null : column.type());
  }

  /** The rows of one table, unique by id. */
  static final class Rows {
    private final TableSchema table;
    private final int idIndex;
    private final int receivedIndex;
    private final LinkedHashMap<String, LoadRow> byId = new LinkedHashMap<>();
    private List<LoadRow> list;

    Rows(TableSchema table) {
      if (!table.kind().callTable() && table.kind() != TableKind.DISCARDS) {
        throw new IllegalArgumentException("not a table the merge loads: " + table.name());
      }
      this.table = table;
      this.idIndex = table.indexOf("id");
      this.receivedIndex = table.indexOf("received_at");
    }

    TableSchema table() {
      return table;
    }

    void add(LoadRow row) {
      String id = (String) row.value(idIndex);
      LoadRow old = byId.get(id);
      if (old == null || !receivedAt(old).isAfter(receivedAt(row))) {
        byId.put(id, row);
        list = null;
      }
    }

    private Instant receivedAt(LoadRow row) {
      Object v = row.value(receivedIndex);
      return v instanceof Instant t ? t : Instant.MIN;
    }

    /** The ids of the rows, in the order of {@link #list()}. */
    String[] ids() {
      return byId.keySet().toArray(new String[0]);
    }

    /** The rows, in the order of {@link #list()}, but those whose id is in {@code ids}. */
    List<LoadRow> without(Set<String> ids) {
      if (ids.isEmpty()) {
        return list();
      }
      List<LoadRow> out = new ArrayList<>(byId.size());
      for (Map.Entry<String, LoadRow> e : byId.entrySet()) {
        if (!ids.contains(e.getKey())) {
          out.add(e.getValue());
        }
      }
      return out;
    }

    void remove(List<LoadRow> rows) {
      for (LoadRow r : rows) {
        byId.remove((String) r.value(idIndex), r);
      }
      list = null;
    }

    /** The rows in first-seen order; the same list until the rows change. */
    List<LoadRow> list() {
      if (list == null) {
        list = List.copyOf(byId.values());
      }
      return list;
    }

    boolean isEmpty() {
      return byId.isEmpty();
    }

    /** The earliest {@code received_at} of the rows, or null. */
    Instant earliestReceivedAt() {
      Instant min = null;
      for (LoadRow r : byId.values()) {
        Object v = r.value(receivedIndex);
        if (v instanceof Instant t && (min == null || t.isBefore(min))) {
          min = t;
        }
      }
      return min;
    }
  }
}
