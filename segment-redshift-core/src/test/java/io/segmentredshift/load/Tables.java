package io.segmentredshift.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
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
 * Reads warehouse tables back as plain values, the same on both dialects: timestamps as UTC
 * instants in ISO form whether the column is {@code timestamp} (Redshift) or {@code timestamptz}
 * (PostgreSQL), doubles in Java's shortest form, strings as they are, NULL as null.
 */
final class Tables {
  private Tables() {}

  /** Every row of {@code schema.table}, each a column → value map in column order. */
  static List<Map<String, Object>> rows(DataSource ds, String schema, String table)
      throws SQLException {
    return query(ds, "SELECT * FROM \"" + schema + "\".\"" + table + "\"");
  }

  /** The rows of a query, each a column → value map. */
  static List<Map<String, Object>> query(DataSource ds, String sql, Object... params)
      throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnName(i), value(rs, i, meta.getColumnTypeName(i)));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  private static Object value(ResultSet rs, int i, String type) throws SQLException {
    Object v;
    switch (type) {
      case "timestamptz" -> {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        v = t == null ? null : t.toInstant().toString();
      }
      case "timestamp" -> {
        LocalDateTime t = rs.getObject(i, LocalDateTime.class);
        v = t == null ? null : t.toInstant(ZoneOffset.UTC).toString();
      }
      case "float8" -> {
        double d = rs.getDouble(i);
        v = rs.wasNull() ? null : Double.toString(d);
      }
      default -> v = rs.getObject(i);
    }
    return v;
  }

  /** The single value of a query, or null. */
  static Object scalar(DataSource ds, String sql, Object... params) throws SQLException {
    List<Map<String, Object>> rows = query(ds, sql, params);
    return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
  }

  /** The tables of a schema, sorted. */
  static List<String> tableNames(DataSource ds, String schema) throws SQLException {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> r :
        query(
            ds,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                + " ORDER BY table_name",
            schema)) {
      out.add((String) r.get("table_name"));
    }
    return out;
  }

  /** Runs statements. */
  static void execute(DataSource ds, String... sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /** A row map sorted by column name, for comparisons that ignore column order. */
  static Map<String, Object> sorted(Map<String, Object> row) {
    return new TreeMap<>(row);
  }
}
