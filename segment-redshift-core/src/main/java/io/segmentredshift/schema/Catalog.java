package io.segmentredshift.schema;

import io.segmentredshift.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the warehouse has, as far as it was read: per table, its columns and types, and how many of
 * the 1600 column slots it uses. A table that was read and not found is known to be absent. Read
 * with plain SQL on {@code information_schema} and {@code pg_catalog}.
 */
final class Catalog {
  private static final int CHUNK = 500;

  private final Map<String, TableSchema> tables = new HashMap<>();
  private final Map<String, Integer> slots = new HashMap<>();

  /** The table, or null when it does not exist (or was not read). */
  TableSchema table(String name) {
    return tables.get(name);
  }

  /** True when {@code name} was read (present or absent). */
  boolean knows(String name) {
    return slots.containsKey(name);
  }

  /** The column slots {@code name} uses against the hard limit (0 when absent). */
  int slots(String name) {
    Integer s = slots.get(name);
    return s == null ? 0 : s;
  }

  /** Forgets what was read about {@code names}. */
  void forget(Collection<String> names) {
    for (String name : names) {
      tables.remove(name);
      slots.remove(name);
    }
  }

  /** Forgets everything. */
  void clear() {
    tables.clear();
    slots.clear();
  }

  /** Puts a table in by hand (planning without a database). */
  void put(TableSchema table) {
    tables.put(table.name(), table);
    slots.put(table.name(), table.columns().size());
  }

  /** Marks {@code name} as read and absent (planning without a database). */
  void absent(String name) {
    tables.remove(name);
    slots.put(name, 0);
  }

  /** Reads {@code names} of {@code schema} afresh. */
  void read(Connection c, Dialect dialect, String schema, Collection<String> names)
      throws SQLException {
    List<String> list = new ArrayList<>(names);
    for (int from = 0; from < list.size(); from += CHUNK) {
      List<String> chunk = list.subList(from, Math.min(list.size(), from + CHUNK));
      Map<String, List<Column>> columns = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(dialect.catalogQuery(chunk.size()))) {
        bind(ps, schema, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            int length = rs.getInt(4);
            Integer max = rs.wasNull() ? null : length;
            columns
                .computeIfAbsent(rs.getString(1), t -> new ArrayList<>())
                .add(new Column(rs.getString(2), dialect.catalogType(rs.getString(3), max)));
          }
        }
      }
      Map<String, Integer> counted = new HashMap<>();
      String slotsQuery = dialect.columnSlotsQuery(chunk.size());
      if (slotsQuery != null) {
        try (PreparedStatement ps = c.prepareStatement(slotsQuery)) {
          bind(ps, schema, chunk);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              counted.put(rs.getString(1), rs.getInt(2));
            }
          }
        }
      }
      for (String name : chunk) {
        List<Column> cols = columns.get(name);
        if (cols == null) {
          absent(name);
          continue;
        }
        TableKind kind = TableKind.ofFixedName(name);
        tables.put(name, new TableSchema(name, kind == null ? TableKind.EVENT : kind, cols));
        slots.put(name, Math.max(cols.size(), counted.getOrDefault(name, 0)));
      }
    }
  }

  private static void bind(PreparedStatement ps, String schema, List<String> names)
      throws SQLException {
    ps.setString(1, schema);
    for (int i = 0; i < names.size(); i++) {
      ps.setString(i + 2, names.get(i));
    }
  }
}
