package io.segmentredshift.webhook;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Reads back what the pipeline stored in the warehouse, for the end-to-end tests: which tables a
 * schema has and how many rows each holds, the ids of a table, one row as column values. A table
 * that does not exist reads as empty. Timestamps read as {@link Instant}s (the layout stores UTC).
 */
public final class WarehouseRows {
  private final DataSource dataSource;

  /** Reads from {@code dataSource}. */
  public WarehouseRows(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Drops the schemas and everything in them, so a test starts from an empty warehouse. */
  public void dropSchemas(String... schemas) {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      for (String schema : schemas) {
        st.execute("DROP SCHEMA IF EXISTS " + quote(schema) + " CASCADE");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tables of {@code schema}, sorted. */
  public List<String> tables(String schema) {
    List<String> tables = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                    + " ORDER BY table_name")) {
      st.setString(1, schema);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return tables;
  }

  /** The tables of {@code schema} that hold rows, with their row counts, by name. */
  public Map<String, Long> rowCounts(String schema) {
    Map<String, Long> counts = new TreeMap<>();
    for (String table : tables(schema)) {
      long n = count(schema, table);
      if (n > 0) {
        counts.put(table, n);
      }
    }
    return counts;
  }

  /** The rows of {@code schema.table}; 0 when the table does not exist. */
  public long count(String schema, String table) {
    if (!tables(schema).contains(table)) {
      return 0;
    }
    return ((Number) single("SELECT count(*) FROM " + name(schema, table))).longValue();
  }

  /** The ids of {@code schema.table}, sorted, one per row (so a duplicate shows twice). */
  public List<String> ids(String schema, String table) {
    if (!tables(schema).contains(table)) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    for (Map<String, Object> row :
        query("SELECT id FROM " + name(schema, table) + " ORDER BY id")) {
      ids.add((String) row.get("id"));
    }
    return ids;
  }

  /**
   * The row of {@code schema.table} whose id is {@code id}, as column name to value (NULL columns
   * included); fails unless there is exactly one.
   */
  public Map<String, Object> row(String schema, String table, String id) {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement("SELECT * FROM " + name(schema, table) + " WHERE id = ?")) {
      st.setString(1, id);
      try (ResultSet rs = st.executeQuery()) {
        rows.addAll(read(rs));
      }
    } catch (SQLException e) {
      throw new AssertionError(schema + "." + table + " cannot be read: " + e.getMessage(), e);
    }
    if (rows.size() != 1) {
      throw new AssertionError(
          schema + "." + table + " has " + rows.size() + " rows with id " + id + ", not 1");
    }
    return rows.get(0);
  }

  /** The rows {@code sql} returns, each as column label to value. */
  public List<Map<String, Object>> query(String sql) {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return read(rs);
    } catch (SQLException e) {
      throw new AssertionError(sql + ": " + e.getMessage(), e);
    }
  }

  /** The one value {@code sql} returns. */
  public Object single(String sql) {
    List<Map<String, Object>> rows = query(sql);
    if (rows.size() != 1 || rows.get(0).size() != 1) {
      throw new AssertionError(sql + " returned " + rows + ", not one value");
    }
    return rows.get(0).values().iterator().next();
  }

  private static List<Map<String, Object>> read(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<Map<String, Object>> rows = new ArrayList<>();
    while (rs.next()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        row.put(meta.getColumnLabel(i), value(rs, i, meta.getColumnTypeName(i)));
      }
      rows.add(row);
    }
    return rows;
  }

  private static Object value(ResultSet rs, int i, String typeName) throws SQLException {
    if ("timestamptz".equals(typeName)) {
      OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
      return t == null ? null : t.toInstant();
    }
    if ("timestamp".equals(typeName)) {
      LocalDateTime t = rs.getObject(i, LocalDateTime.class);
      return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
    return rs.getObject(i);
  }

  private static String name(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
