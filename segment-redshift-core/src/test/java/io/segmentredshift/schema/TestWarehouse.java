package io.segmentredshift.schema;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Test-only helpers: the two-pass load of a batch with plain one-row INSERTs (so the layout's tests
 * do not depend on the loaders, which have their own tests in {@code io.segmentredshift.load}) and
 * the catalog as text. Redshift-path tests run on the testkit's Redshift emulation.
 */
final class TestWarehouse {
  static final Instant LOADED = Instant.parse("2024-03-06T00:00:00Z");

  private TestWarehouse() {}

  /** Pass 1, evolve, pass 2; returns the rows (loaded into the warehouse when {@code load}). */
  static List<LoadRow> evolveAndLoad(SchemaEvolver evolver, DataSource ds, List<Event> events)
      throws SQLException {
    WarehouseLayout layout = new WarehouseLayout(evolver.dialect());
    BatchSchema needs = new BatchSchema(evolver.dialect());
    for (Event e : events) {
      needs.add(layout.rows(e, LOADED));
    }
    ResolvedSchema schema = evolver.evolve(needs);
    List<LoadRow> rows = new ArrayList<>();
    for (Event e : events) {
      rows.addAll(schema.rows(layout.rows(e, LOADED)));
    }
    insert(ds, evolver.dialect(), evolver.schema(), rows);
    return rows;
  }

  /** Inserts rows with the dialect's INSERT statement, one row at a time. */
  static void insert(DataSource ds, Dialect dialect, String schema, List<LoadRow> rows)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      try (Statement st = c.createStatement()) {
        st.execute("SET TIME ZONE 'UTC'");
      }
      for (LoadRow row : rows) {
        try (PreparedStatement ps = c.prepareStatement(dialect.insert(schema, row.table()))) {
          for (int i = 0; i < row.size(); i++) {
            Object v = row.value(i);
            ps.setObject(
                i + 1, v instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : v);
          }
          ps.executeUpdate();
        }
      }
    }
  }

  /** table → column → type as the catalog says, e.g. {@code character varying(512)}. */
  static Map<String, Map<String, String>> catalog(DataSource ds, String schema)
      throws SQLException {
    Map<String, Map<String, String>> out = new TreeMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT table_name, column_name, data_type, character_maximum_length"
                    + " FROM information_schema.columns WHERE table_schema = ?"
                    + " ORDER BY table_name, ordinal_position")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String type = rs.getString(3);
          int length = rs.getInt(4);
          if (!rs.wasNull()) {
            type += "(" + length + ")";
          }
          out.computeIfAbsent(rs.getString(1), t -> new java.util.LinkedHashMap<>())
              .put(rs.getString(2), type);
        }
      }
    }
    return out;
  }

  /** The single value of a query with string parameters. */
  static Object scalar(DataSource ds, String sql, Object... params) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getObject(1) : null;
      }
    }
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
}
