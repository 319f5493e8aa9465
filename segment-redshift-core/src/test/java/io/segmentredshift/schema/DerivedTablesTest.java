package io.segmentredshift.schema;

import static io.segmentredshift.schema.TestWarehouse.LOADED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * users and accounts: each trait keeps its latest non-null value by timestamp (ties by
 * received_at), whatever order the calls arrive in. This plays the part of the merge with the
 * dialect's refresh statements.
 */
class DerivedTablesTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static Event identify(
      String id, String user, String ts, String received, Map<String, Object> traits) {
    return Event.builder(EventType.IDENTIFY)
        .messageId(id)
        .userId(user)
        .timestamp(Instant.parse(ts))
        .receivedAt(Instant.parse(received))
        .traits(traits)
        .build();
  }

  private static Event group(String id, String groupId, String ts, Map<String, Object> traits) {
    return Event.builder(EventType.GROUP)
        .messageId(id)
        .userId("u")
        .groupId(groupId)
        .timestamp(Instant.parse(ts))
        .receivedAt(Instant.parse(ts))
        .traits(traits)
        .build();
  }

  /** Loads one batch like the merge will: rows into their tables, then refresh users/accounts. */
  private static void loadBatch(
      DataSource ds, Dialect dialect, SchemaEvolver evolver, List<Event> batch)
      throws SQLException {
    WarehouseLayout layout = new WarehouseLayout(dialect);
    BatchSchema needs = new BatchSchema(dialect);
    for (Event e : batch) {
      needs.add(layout.rows(e, LOADED));
    }
    ResolvedSchema schema = evolver.evolve(needs);
    List<LoadRow> rows = new ArrayList<>();
    for (Event e : batch) {
      rows.addAll(schema.rows(layout.rows(e, LOADED)));
    }
    TestWarehouse.insert(ds, dialect, evolver.schema(), rows);
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      for (Derivation d : schema.derivations()) {
        String source = d.source().name();
        String key = d.table().kind().sourceKey();
        // The batch's keys, as the merge has them in its staging table.
        st.execute(
            "CREATE TEMP TABLE touched_"
                + source
                + " ON COMMIT DROP AS SELECT "
                + key
                + " FROM "
                + evolver.schema()
                + "."
                + source
                + " WHERE id IN ("
                + String.join(", ", batch.stream().map(e -> "'" + e.messageId() + "'").toList())
                + ")");
        for (String sql :
            dialect.refreshDerived(
                evolver.schema(), d.table().kind(), d.columns(), null, "touched_" + source)) {
          st.execute(sql);
        }
      }
      c.commit();
    }
  }

  private static List<Map<String, Object>> table(DataSource ds, String sql) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          String name = rs.getMetaData().getColumnName(i);
          if (!name.equals("uuid_ts")) {
            row.put(name, rs.getObject(i));
          }
        }
        out.add(row);
      }
    }
    return out;
  }

  private static final List<Event> FIRST =
      List.of(
          identify(
              "i1",
              "u1",
              "2024-01-10T00:00:00Z",
              "2024-01-10T00:00:01Z",
              Map.of("email", "new@x", "plan", "pro")),
          identify(
              "i2", "u2", "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z", Map.of("email", "b@x")),
          group("g1", "acme", "2024-01-10T00:00:00Z", Map.of("employees", 10L)));

  private static final List<Event> SECOND =
      List.of(
          identify(
              "i3",
              "u1",
              "2024-01-05T00:00:00Z",
              "2024-01-11T00:00:00Z",
              Map.of("email", "old@x", "name", "Ann")),
          identify(
              "i4", "u2", "2024-01-01T00:00:00Z", "2024-01-01T00:00:02Z", Map.of("email", "b2@x")),
          group(
              "g2", "acme", "2024-01-05T00:00:00Z", Map.of("employees", 5L, "industry", "Tools")));

  @Test
  void outOfOrderCallsGiveTheSameUsersAndAccounts() throws SQLException {
    Dialect dialect = Dialect.postgres();
    DataSource ds = PG.dataSource();
    SchemaEvolver inOrder = new SchemaEvolver(ds, dialect, "derived_a");
    loadBatch(ds, dialect, inOrder, FIRST);
    loadBatch(ds, dialect, inOrder, SECOND);
    SchemaEvolver reversed = new SchemaEvolver(ds, dialect, "derived_b");
    loadBatch(ds, dialect, reversed, SECOND);
    loadBatch(ds, dialect, reversed, FIRST);

    List<Map<String, Object>> users =
        table(ds, "SELECT id, email, name, plan FROM derived_a.users ORDER BY id");
    assertEquals(users, table(ds, "SELECT id, email, name, plan FROM derived_b.users ORDER BY id"));
    assertEquals(2, users.size());
    // u1: email from the later timestamp although it arrived first; name only from the older call.
    assertEquals(Map.of("id", "u1", "email", "new@x", "name", "Ann", "plan", "pro"), users.get(0));
    assertEquals("b2@x", users.get(1).get("email"), "same timestamp: the later received_at wins");
    assertNull(users.get(1).get("name"));

    List<Map<String, Object>> accounts =
        table(ds, "SELECT id, employees, industry FROM derived_a.accounts ORDER BY id");
    assertEquals(
        accounts, table(ds, "SELECT id, employees, industry FROM derived_b.accounts ORDER BY id"));
    assertEquals(List.of(Map.of("id", "acme", "employees", 10L, "industry", "Tools")), accounts);
    assertEquals(
        table(ds, "SELECT * FROM derived_a.users ORDER BY id"),
        table(ds, "SELECT * FROM derived_b.users ORDER BY id"));
  }

  @Test
  void usersMirrorTheTraitColumnsOfIdentifiesWithTheSameTypes() throws SQLException {
    DataSource ds = RS.dataSource();
    SchemaEvolver evolver = new SchemaEvolver(ds, Dialect.redshift(), "mirror");
    loadBatch(ds, Dialect.redshift(), evolver, FIRST);
    String wide = "w".repeat(1000);
    loadBatch(
        ds,
        Dialect.redshift(),
        evolver,
        List.of(
            identify(
                "i9",
                "u9",
                "2024-02-01T00:00:00Z",
                "2024-02-01T00:00:00Z",
                Map.of("email", wide))));
    Map<String, Map<String, String>> cat = TestWarehouse.catalog(RS.postgres(), "mirror");
    assertEquals("character varying(1024)", cat.get("identifies").get("email"));
    assertEquals("character varying(1024)", cat.get("users").get("email"));
    assertEquals(
        wide,
        TestWarehouse.scalar(RS.postgres(), "SELECT email FROM mirror.users WHERE id = 'u9'"));
  }
}
