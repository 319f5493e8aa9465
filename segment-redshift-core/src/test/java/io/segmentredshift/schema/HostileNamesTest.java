package io.segmentredshift.schema;

import static io.segmentredshift.schema.TestWarehouse.LOADED;
import static io.segmentredshift.schema.TestWarehouse.catalog;
import static io.segmentredshift.schema.TestWarehouse.evolveAndLoad;
import static io.segmentredshift.schema.TestWarehouse.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names from event data can never inject SQL or escape their schema. */
class HostileNamesTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  static final List<String> NAMES =
      List.of(
          "\"; DROP TABLE users; --",
          "Robert'); DROP TABLE students;--",
          "a\"b",
          "quote\"\"double",
          "semi;colon",
          "back\\slash\\",
          "日本語 events",
          "ünïcödé",
          "😀",
          "x".repeat(500),
          "select",
          "3rd Party",
          "",
          "\u0000null",
          "tab\tnew\nline",
          "/~slash",
          "\ud800lonely",
          "Users",
          "timestamp");

  private static Set<String> tables(DataSource ds, String schema) throws SQLException {
    Set<String> out = new TreeSet<>();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables"
                    + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "redshift"})
  void hostileEventAndPropertyNamesEndAsSafeIdentifiersAndRunNothingElse(String dialectName)
      throws SQLException {
    Dialect dialect = dialectName.equals("redshift") ? Dialect.redshift() : Dialect.postgres();
    DataSource pg = dialect == Dialect.redshift() ? RS.postgres() : PG.dataSource();
    DataSource ds = dialect == Dialect.redshift() ? RS.dataSource() : pg;
    String schema = "hostile_" + dialectName;
    TestWarehouse.execute(
        pg,
        "CREATE TABLE IF NOT EXISTS public.users (id int)",
        "INSERT INTO public.users VALUES (1)",
        "CREATE SCHEMA " + schema,
        "CREATE TABLE " + schema + ".sentinel (id int)",
        "INSERT INTO " + schema + ".sentinel VALUES (42)");
    Set<String> before = tables(pg, schema);

    // PostgreSQL cuts names at 63 bytes, so Redshift's 127-byte names cannot be tried on it: the
    // long name runs on the Redshift path only in the golden and unit tests.
    List<String> names =
        dialect == Dialect.redshift()
            ? NAMES.stream().filter(n -> n.length() < 60).toList()
            : NAMES;
    Map<String, Object> properties = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      // Event's builder refuses map keys with an unpaired surrogate (no JSON parser reads them
      // back as field names); such a name is still tried as an event name below.
      if (usableAsKey(names.get(i))) {
        properties.put(names.get(i), "v" + NAMES.indexOf(names.get(i)));
      }
    }
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      events.add(
          Event.builder(EventType.TRACK)
              .messageId("h" + i)
              .userId("u")
              .event(names.get(i))
              .properties(properties)
              .context(usableAsKey(names.get(i)) ? Map.of(names.get(i), "c" + i) : Map.of())
              .receivedAt(LOADED)
              .build());
    }
    List<LoadRow> rows = evolveAndLoad(new SchemaEvolver(ds, dialect, schema), ds, events);

    Identifiers ids = Identifiers.of(dialect);
    Set<String> expected = new TreeSet<>(before);
    for (String t : List.of("_columns", "_discards", "_loads", "tracks")) {
      expected.add(schema + "." + t);
    }
    for (String name : names) {
      String table = ids.tableName(name);
      if (!table.isEmpty()) {
        expected.add(schema + "." + table);
      }
    }
    assertEquals(expected, tables(pg, schema), "only the expected tables, nothing else");
    assertEquals(42, scalar(pg, "SELECT id FROM " + schema + ".sentinel"));
    assertEquals(1, scalar(pg, "SELECT id FROM public.users"));
    assertTrue(expected.contains(schema + "._users"), "an event named Users has its own table");

    for (Map.Entry<String, Map<String, String>> t : catalog(pg, schema).entrySet()) {
      for (String column : t.getValue().keySet()) {
        if (!t.getKey().equals("sentinel")) {
          assertTrue(ids.isSafe(column), t.getKey() + "." + column);
        }
      }
    }
    String injected = ids.tableName(NAMES.get(0));
    assertEquals("drop_table_users", injected);
    assertEquals(
        "v0",
        scalar(pg, "SELECT drop_table_users FROM " + schema + "." + injected + " WHERE id = 'h0'"));
    assertEquals(
        "c0",
        scalar(pg, "SELECT context_drop_table_users FROM " + schema + ".tracks WHERE id = 'h0'"));
    if (dialect == Dialect.postgres()) {
      String longName = ids.sanitize("x".repeat(500));
      assertEquals(63, longName.length());
      assertEquals(
          "v9",
          scalar(
              pg, "SELECT " + longName + " FROM " + schema + "." + injected + " WHERE id = 'h0'"));
    }
    // Names that are empty, or carry text no warehouse stores, went to _discards with the reason.
    assertTrue(
        rows.stream()
            .anyMatch(
                r ->
                    r.table().name().equals("_discards")
                        && "EMPTY_NAME".equals(r.value("reason"))));
    assertEquals(
        "\"v8\"",
        scalar(
            pg,
            "SELECT raw_value FROM "
                + schema
                + "._discards WHERE row_id = 'h0' AND source_path = ?",
            "/properties/😀"));
  }

  private static boolean usableAsKey(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c)
          && (i + 1 == name.length() || !Character.isLowSurrogate(name.charAt(i + 1)))) {
        return false;
      }
      if (Character.isLowSurrogate(c)
          && (i == 0 || !Character.isHighSurrogate(name.charAt(i - 1)))) {
        return false;
      }
    }
    return true;
  }
}
