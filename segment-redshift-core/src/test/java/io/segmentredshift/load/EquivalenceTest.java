package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same generated events loaded by every loader give the same tables, row for row: S3 COPY into
 * the Redshift emulation (over pgjdbc and over the real Redshift JDBC driver), prepared INSERT into
 * PostgreSQL, and COPY FROM STDIN into PostgreSQL.
 *
 * <p>The dialects differ by design in a few places, which the comparison normalises: column types
 * (VARCHAR(n)/TIMESTAMP against text/timestamptz: values are compared, timestamps as UTC instants);
 * column names (a property {@code open} is {@code _open} on Redshift, where it is reserved, and
 * {@code open} on PostgreSQL): columns are compared by their source path from {@code _columns};
 * {@code _discards.column_type} (the dialect's type name) is left out; and of {@code _loads} only
 * the counts are compared. Names longer than 63 bytes (which Redshift keeps and PostgreSQL cuts
 * with a hash) cannot be tried here: the emulation runs on PostgreSQL, whose limit is 63 bytes.
 */
class EquivalenceTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final int EVENTS = 3000;
  private static final int BATCH = 1000;

  /** Generated traffic plus a few hand-made events with hostile names and values. */
  private static List<Event> events() {
    List<Event> events = new ArrayList<>(Traffic.events(20240305, EVENTS));
    Instant at = Instant.parse("2024-03-05T00:30:00Z");
    Map<String, Object> hostile = new LinkedHashMap<>();
    hostile.put("open", "reserved on Redshift only");
    hostile.put("order", "reserved on both");
    hostile.put("tricky", "a,\"b\"\nc\\d");
    hostile.put("empty", "");
    hostile.put("nul", "x\u0000y");
    hostile.put("emoji", "😀");
    hostile.put("nested", Map.of("deeper", Map.of("list", List.of(1L, "two", Map.of("x", true)))));
    for (int i = 0; i < 5; i++) {
      events.add(
          i * 700,
          Event.builder(EventType.TRACK)
              .messageId("hostile-" + i)
              .anonymousId("anon-hostile")
              .event("Order Viewed")
              .properties(hostile)
              .timestamp(at.plusSeconds(i))
              .receivedAt(at.plusSeconds(i))
              .build());
    }
    return events;
  }

  private static void load(Targets t, String schema, List<Event> events, int batch) {
    try (SegmentRedshift segment = t.open(schema)) {
      for (int i = 0; i < events.size(); i += batch) {
        segment.load(events.subList(i, Math.min(events.size(), i + batch)));
      }
    }
  }

  @Test
  void everyLoaderGivesTheSameTablesAndLoadingTwiceChangesNothing() throws SQLException {
    List<Event> events = events();
    Map<String, Map<String, List<String>>> dumps = new LinkedHashMap<>();
    for (String loader :
        List.of(Targets.PG_COPY, Targets.INSERT, Targets.S3_COPY, Targets.S3_COPY_REDSHIFT_JDBC)) {
      Targets t = Targets.of(loader, PG, RS);
      String schema = LoaderValuesTest.schema("eq", loader);
      load(t, schema, events, BATCH);
      Map<String, List<String>> dump = dump(t, schema);
      dumps.put(loader, dump);

      load(t, schema, events, BATCH);
      Map<String, List<String>> again = dump(t, schema);
      assertEquals(2 * dump.get("_loads").size(), again.get("_loads").size(), loader);
      again.put("_loads", dump.get("_loads"));
      assertEquals(dump, again, loader + ": loading twice changed a table");
    }

    Map<String, List<String>> reference = dumps.get(Targets.PG_COPY);
    assertTrue(reference.get("tracks").size() > 1500, "tracks: " + reference.get("tracks").size());
    assertTrue(reference.get("identifies").size() > 200);
    assertTrue(reference.get("users").size() > 100);
    assertTrue(reference.get("accounts").size() > 50);
    assertTrue(reference.get("aliases").size() > 5);
    assertTrue(reference.get("_discards").size() > 10, "type conflicts and NUL give discards");
    assertTrue(reference.size() > 50, "tables: " + reference.keySet());
    assertEquals(
        distinctCalls(events),
        reference.get("tracks").size()
            + reference.get("pages").size()
            + reference.get("screens").size()
            + reference.get("identifies").size()
            + reference.get("groups").size()
            + reference.get("aliases").size());
    for (Map.Entry<String, Map<String, List<String>>> d : dumps.entrySet()) {
      assertEquals(reference.keySet(), d.getValue().keySet(), d.getKey());
      for (String table : reference.keySet()) {
        assertEquals(reference.get(table), d.getValue().get(table), d.getKey() + ": " + table);
      }
    }
  }

  @Test
  void loadingTheEventsShuffledGivesTheSameUsersAndAccounts() throws SQLException {
    List<Event> events = events();
    List<Event> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, new Random(42));
    for (String loader : List.of(Targets.PG_COPY, Targets.S3_COPY)) {
      Targets t = Targets.of(loader, PG, RS);
      String inOrder = LoaderValuesTest.schema("order_kept", loader);
      String mixed = LoaderValuesTest.schema("order_shuffled", loader);
      load(t, inOrder, events, events.size());
      load(t, mixed, shuffled, events.size());
      Map<String, List<String>> a = dump(t, inOrder);
      Map<String, List<String>> b = dump(t, mixed);
      assertTrue(a.get("users").size() > 100);
      assertEquals(a.get("users"), b.get("users"), loader);
      assertEquals(a.get("accounts"), b.get("accounts"), loader);
      assertEquals(a.get("identifies"), b.get("identifies"), loader);
    }
  }

  /** The number of distinct (call type, messageId): one row each in the call tables. */
  private static int distinctCalls(List<Event> events) {
    Set<String> calls = new HashSet<>();
    for (Event e : events) {
      calls.add(e.type() + "/" + e.messageId());
    }
    assertTrue(calls.size() < events.size(), "the traffic has duplicate messageIds");
    return calls.size();
  }

  /**
   * Every table as sorted row texts, each row a map from a dialect-independent column name (the
   * source path of a property or trait, the name of a standard column) to its value.
   */
  static Map<String, List<String>> dump(Targets t, String schema) throws SQLException {
    Map<String, Map<String, String>> paths = new HashMap<>();
    for (Map<String, Object> c : Tables.rows(t.read(), schema, "_columns")) {
      paths
          .computeIfAbsent((String) c.get("table_name"), k -> new HashMap<>())
          .put((String) c.get("column_name"), "path:" + c.get("source_path"));
    }
    Map<String, List<String>> out = new TreeMap<>();
    for (String table : Tables.tableNames(t.read(), schema)) {
      String pathsOf =
          switch (table) {
            case "users" -> "identifies";
            case "accounts" -> "groups";
            default -> table;
          };
      Map<String, String> names = paths.getOrDefault(pathsOf, Map.of());
      List<String> rows = new ArrayList<>();
      for (Map<String, Object> r : Tables.rows(t.read(), schema, table)) {
        Map<String, Object> row = new TreeMap<>();
        for (Map.Entry<String, Object> e : r.entrySet()) {
          row.put(names.getOrDefault(e.getKey(), e.getKey()), e.getValue());
        }
        switch (table) {
          case "_columns" -> {
            row.remove("column_name");
            row.remove("created_at");
          }
          case "_discards" -> {
            row.remove("column_type");
            Object column = row.remove("column_name");
            Map<String, String> of = paths.getOrDefault((String) row.get("table_name"), Map.of());
            row.put("column", column == null ? null : of.getOrDefault(column, (String) column));
          }
          case "_loads" -> {
            row.keySet().retainAll(List.of("event_count", "discard_count", "table_counts"));
          }
          default -> {}
        }
        rows.add(row.toString());
      }
      rows.sort(null);
      out.put(table, rows);
    }
    return out;
  }
}
