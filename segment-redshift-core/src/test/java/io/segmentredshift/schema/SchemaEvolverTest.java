package io.segmentredshift.schema;

import static io.segmentredshift.schema.TestWarehouse.LOADED;
import static io.segmentredshift.schema.TestWarehouse.catalog;
import static io.segmentredshift.schema.TestWarehouse.evolveAndLoad;
import static io.segmentredshift.schema.TestWarehouse.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaEvolverTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final String TEXT = "text";
  private static final String TS = "timestamp with time zone";

  private static List<Event> allSamples() {
    List<Event> events = new ArrayList<>();
    for (String file : Samples.FILES) {
      events.addAll(Samples.load(file));
    }
    return events;
  }

  private static Event track(String id, String event, Map<String, Object> properties) {
    return Event.builder(EventType.TRACK)
        .messageId(id)
        .userId("u1")
        .event(event)
        .properties(properties)
        .receivedAt(LOADED)
        .build();
  }

  @Test
  void theSamplesCreateSegmentsTablesWithTheirColumnsAndTypes() throws SQLException {
    DataSource ds = PG.dataSource();
    SchemaEvolver evolver = new SchemaEvolver(ds, Dialect.postgres(), "samples");
    evolveAndLoad(evolver, ds, allSamples());
    Map<String, Map<String, String>> cat = catalog(ds, "samples");
    assertEquals(
        Set.of(
            "_columns",
            "_discards",
            "_loads",
            "tracks",
            "order_completed",
            "signed_up",
            "identifies",
            "users",
            "pages",
            "screens",
            "groups",
            "accounts",
            "aliases"),
        cat.keySet());
    Map<String, String> order = cat.get("order_completed");
    assertEquals(TEXT, order.get("id"));
    assertEquals(TS, order.get("received_at"));
    assertEquals(TS, order.get("timestamp"));
    assertEquals(TEXT, order.get("event"));
    assertEquals(TEXT, order.get("event_text"));
    assertEquals("double precision", order.get("total"));
    assertEquals("bigint", order.get("revenue"));
    assertEquals(TEXT, order.get("products"));
    assertEquals(TEXT, order.get("shipping_method"));
    assertEquals("bigint", order.get("shipping_cost"));
    assertEquals(TEXT, order.get("context_page_url"));
    assertFalse(order.containsKey("coupon"), "only non-null values create columns");
    assertFalse(cat.get("tracks").containsKey("total"), "tracks has common columns only");
    assertEquals("bigint", cat.get("signed_up").get("trial_days"));
    assertEquals("bigint", cat.get("identifies").get("friend_count"));
    assertEquals(TEXT, cat.get("identifies").get("subscription_plan"));
    assertEquals(
        List.of(
            "id",
            "received_at",
            "uuid_ts",
            "email",
            "friend_count",
            "name",
            "plan",
            "subscription_plan"),
        List.copyOf(cat.get("users").keySet()));
    assertEquals("bigint", cat.get("users").get("friend_count"));
    assertEquals(
        List.of(
            "id",
            "received_at",
            "uuid_ts",
            "employees",
            "industry",
            "name",
            "plan",
            "total_billed"),
        List.copyOf(cat.get("accounts").keySet()));
    assertFalse(cat.get("users").containsKey("anonymous_id"));
    assertEquals(TEXT, cat.get("pages").get("category"));
    assertEquals(TEXT, cat.get("screens").get("context_device_model"));
    assertEquals(TEXT, cat.get("aliases").get("previous_id"));
    assertEquals(TEXT, cat.get("groups").get("group_id"));
    assertEquals(
        "[{\"product_id\":\"507f1f77bcf86cd799439011\",\"sku\":\"45790-32\",\"price\":19,\"quantity\":1},"
            + "{\"product_id\":\"505bd76785ebb509fc183733\",\"sku\":\"46493-32\",\"price\":18.99,\"quantity\":2}]",
        scalar(ds, "SELECT products FROM samples.order_completed"));
    assertEquals(27.5, scalar(ds, "SELECT total FROM samples.order_completed"));
    assertEquals(0L, scalar(ds, "SELECT count(*) FROM samples._discards"));
  }

  @Test
  void newPropertiesAddColumnsAndNothingIsDroppedOrNarrowed() throws SQLException {
    DataSource ds = PG.dataSource();
    SchemaEvolver evolver = new SchemaEvolver(ds, Dialect.postgres(), "grow");
    evolveAndLoad(evolver, ds, List.of(track("g1", "Viewed", Map.of("a", 1L))));
    evolveAndLoad(evolver, ds, List.of(track("g2", "Viewed", Map.of("b", "x", "c", true))));
    Map<String, String> viewed = catalog(ds, "grow").get("viewed");
    assertEquals("bigint", viewed.get("a"));
    assertEquals(TEXT, viewed.get("b"));
    assertEquals("boolean", viewed.get("c"));
    assertEquals(true, scalar(ds, "SELECT c FROM grow.viewed WHERE id = 'g2'"));
    assertEquals(1L, scalar(ds, "SELECT a FROM grow.viewed WHERE id = 'g1'"));
  }

  @Test
  void aTypeConflictGivesNullAndADiscardRow() throws SQLException {
    DataSource ds = PG.dataSource();
    SchemaEvolver evolver = new SchemaEvolver(ds, Dialect.postgres(), "conflict");
    evolveAndLoad(evolver, ds, List.of(track("c1", "Paid", Map.of("revenue", 25L))));
    evolveAndLoad(
        evolver, ds, List.of(track("c2", "Paid", Map.of("revenue", "lots", "note", "ok"))));
    assertEquals("bigint", catalog(ds, "conflict").get("paid").get("revenue"));
    assertNull(scalar(ds, "SELECT revenue FROM conflict.paid WHERE id = 'c2'"));
    assertEquals("ok", scalar(ds, "SELECT note FROM conflict.paid WHERE id = 'c2'"));
    assertEquals(1L, scalar(ds, "SELECT count(*) FROM conflict._discards"));
    assertEquals(
        List.of(
            "paid",
            "revenue",
            "/properties/revenue",
            "c2",
            "TYPE_CONFLICT",
            "bigint",
            "\"lots\"",
            false),
        row(
            ds,
            "SELECT table_name, column_name, source_path, row_id, reason, column_type, raw_value,"
                + " raw_value_truncated FROM conflict._discards"));
    assertEquals(
        true,
        scalar(
            ds,
            "SELECT received_at = '2024-03-06T00:00:00Z'::timestamptz FROM conflict._discards"));
  }

  private static List<Object> row(DataSource ds, String sql) throws SQLException {
    try (var c = ds.getConnection();
        var st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      List<Object> out = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        out.add(rs.getObject(i));
      }
      assertFalse(rs.next());
      return out;
    }
  }

  @Test
  void redshiftVarcharsWidenInBytesUpTo65535AndLongerValuesAreDiscarded() throws SQLException {
    DataSource ds = RS.dataSource();
    SchemaEvolver evolver = new SchemaEvolver(ds, Dialect.redshift(), "widen");
    evolveAndLoad(evolver, ds, List.of(track("w1", "Typed", Map.of("text", "short"))));
    assertEquals("character varying(512)", catalog(ds, "widen").get("typed").get("text"));
    assertEquals(
        "timestamp without time zone", catalog(ds, "widen").get("typed").get("received_at"));
    String wide = "é".repeat(700);
    evolveAndLoad(evolver, ds, List.of(track("w2", "Typed", Map.of("text", wide))));
    assertEquals("character varying(2048)", catalog(ds, "widen").get("typed").get("text"));
    assertEquals(wide, scalar(ds, "SELECT text FROM widen.typed WHERE id = 'w2'"));
    String tooLong = "x".repeat(70000);
    evolveAndLoad(evolver, ds, List.of(track("w3", "Typed", Map.of("text", tooLong))));
    assertEquals("character varying(65535)", catalog(ds, "widen").get("typed").get("text"));
    assertNull(scalar(ds, "SELECT text FROM widen.typed WHERE id = 'w3'"));
    assertEquals("TOO_LONG", scalar(ds, "SELECT reason FROM widen._discards WHERE row_id = 'w3'"));
    // The raw value's JSON text is wider than _discards.raw_value itself: cut, and said so.
    assertEquals(
        65535L,
        scalar(ds, "SELECT length(raw_value)::bigint FROM widen._discards WHERE row_id = 'w3'"));
    assertEquals(
        true, scalar(ds, "SELECT raw_value_truncated FROM widen._discards WHERE row_id = 'w3'"));
    assertEquals(
        "character varying(65535)", catalog(ds, "widen").get("_discards").get("raw_value"));
  }

  @Test
  void theColumnBudgetSendsFurtherFieldsToDiscards() throws SQLException {
    DataSource ds = PG.dataSource();
    int standard = TableKind.EVENT.standardColumns().size();
    SchemaEvolver evolver = new SchemaEvolver(ds, Dialect.postgres(), "budget", standard + 3);
    Map<String, Object> props = new LinkedHashMap<>();
    for (String k : List.of("e", "d", "c", "b", "a")) {
      props.put(k, 1L);
    }
    evolveAndLoad(evolver, ds, List.of(track("b1", "Wide", props)));
    Map<String, String> wide = catalog(ds, "budget").get("wide");
    assertEquals(standard + 3, wide.size());
    assertTrue(wide.keySet().containsAll(List.of("a", "b", "c")), wide.keySet().toString());
    assertEquals(
        2L, scalar(ds, "SELECT count(*) FROM budget._discards WHERE reason = 'COLUMN_BUDGET'"));
    evolveAndLoad(evolver, ds, List.of(track("b2", "Wide", Map.of("f", 2L, "a", 5L))));
    assertEquals(standard + 3, catalog(ds, "budget").get("wide").size());
    assertEquals(5L, scalar(ds, "SELECT a FROM budget.wide WHERE id = 'b2'"));
    assertEquals(
        "/properties/f",
        scalar(ds, "SELECT source_path FROM budget._discards WHERE row_id = 'b2'"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SchemaEvolver(ds, Dialect.postgres(), "budget", SchemaEvolver.MAX_COLUMNS + 1));
  }

  @Test
  void collidingSourceNamesGetTheirOwnColumnsAndKeepThemAcrossBatches() throws SQLException {
    DataSource ds = PG.dataSource();
    evolveAndLoad(
        new SchemaEvolver(ds, Dialect.postgres(), "names"),
        ds,
        List.of(track("n1", "Signed", Map.of("userName", "camel"))));
    // A new evolver: nothing cached, the name map in the warehouse decides.
    SchemaEvolver second = new SchemaEvolver(ds, Dialect.postgres(), "names");
    evolveAndLoad(
        second,
        ds,
        List.of(track("n2", "Signed", Map.of("user_name", "snake", "userName", "camel2"))));
    String suffixed =
        Identifiers.of(Dialect.postgres()).suffixed("user_name", "/properties/user_name");
    Map<String, String> cols = catalog(ds, "names").get("signed");
    assertTrue(cols.containsKey(suffixed), cols.toString());
    assertEquals("camel2", scalar(ds, "SELECT user_name FROM names.signed WHERE id = 'n2'"));
    assertEquals("snake", scalar(ds, "SELECT " + suffixed + " FROM names.signed WHERE id = 'n2'"));
    assertEquals(
        "/properties/user_name",
        scalar(ds, "SELECT source_path FROM names._columns WHERE column_name = ?", suffixed));
    assertEquals(
        "/properties/userName",
        scalar(ds, "SELECT source_path FROM names._columns WHERE column_name = 'user_name'"));
  }

  @Test
  void withinOneBatchTheExactNameWinsWhateverTheOrder() throws SQLException {
    DataSource ds = PG.dataSource();
    for (String schema : List.of("order_a", "order_b")) {
      List<Event> events =
          new ArrayList<>(
              List.of(
                  track("o1", "Named", Map.of("userName", "camel")),
                  track("o2", "Named", Map.of("user_name", "snake"))));
      if (schema.equals("order_b")) {
        java.util.Collections.reverse(events);
      }
      evolveAndLoad(new SchemaEvolver(ds, Dialect.postgres(), schema), ds, events);
      assertEquals(
          "snake", scalar(ds, "SELECT user_name FROM " + schema + ".named WHERE id = 'o2'"));
    }
    assertEquals(catalog(ds, "order_a").get("named"), catalog(ds, "order_b").get("named"));
  }

  @Test
  void longNamesCutToTheSamePrefixStayApart() throws SQLException {
    DataSource ds = PG.dataSource();
    String prefix = "a_very_long_property_name_that_goes_on_and_on_beyond_sixty_three_";
    evolveAndLoad(
        new SchemaEvolver(ds, Dialect.postgres(), "longnames"),
        ds,
        List.of(track("l1", "Long", Map.of(prefix + "one", 1L, prefix + "two", 2L))));
    Map<String, String> cols = catalog(ds, "longnames").get("long");
    List<String> dynamic = cols.keySet().stream().filter(c -> c.startsWith("a_very")).toList();
    assertEquals(2, dynamic.size());
    for (String c : dynamic) {
      assertEquals(63, c.length());
    }
    assertNotEquals(dynamic.get(0), dynamic.get(1));
  }

  @Test
  void aDryRunShowsThePlanAndChangesNothing() throws SQLException {
    DataSource ds = PG.dataSource();
    SchemaEvolver evolver = new SchemaEvolver(ds, Dialect.postgres(), "dryrun");
    WarehouseLayout layout = new WarehouseLayout(Dialect.postgres());
    BatchSchema needs = new BatchSchema(Dialect.postgres());
    needs.add(layout.rows(Samples.load("track.json").get(0), LOADED));
    SchemaPlan plan = evolver.plan(needs);
    assertEquals("CREATE SCHEMA IF NOT EXISTS \"dryrun\"", plan.statements().get(0));
    assertTrue(plan.statements().stream().anyMatch(s -> s.contains("\"order_completed\"")));
    assertTrue(plan.tables().stream().anyMatch(t -> t.name().equals("order_completed")));
    assertEquals(
        0L,
        scalar(
            ds, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'dryrun'"));
    evolver.evolve(needs);
    assertTrue(evolver.plan(needs).statements().isEmpty(), "nothing left to do");
  }

  @Test
  void anExistingSegmentTableIsAdoptedNotRecreated() throws SQLException {
    DataSource ds = PG.dataSource();
    TestWarehouse.execute(
        ds,
        "CREATE SCHEMA legacy",
        "CREATE TABLE legacy.identifies (id text PRIMARY KEY, user_id text, received_at timestamptz,"
            + " email varchar(20), age integer)");
    Event e =
        Event.builder(EventType.IDENTIFY)
            .messageId("i1")
            .userId("u1")
            .traits(Map.of("email", "a-much-longer-address@example.com", "age", 30L))
            .build();
    evolveAndLoad(new SchemaEvolver(ds, Dialect.postgres(), "legacy"), ds, List.of(e));
    Map<String, String> identifies = catalog(ds, "legacy").get("identifies");
    assertEquals("text", identifies.get("email"), "a PostgreSQL varchar widens to text");
    assertEquals("integer", identifies.get("age"), "a foreign type stays");
    assertEquals(
        "a-much-longer-address@example.com",
        scalar(ds, "SELECT email FROM legacy.identifies WHERE id = 'i1'"));
    assertEquals(
        "UNSUPPORTED_COLUMN",
        scalar(ds, "SELECT reason FROM legacy._discards WHERE row_id = 'i1'"));
    assertEquals(TS, identifies.get("uuid_ts"), "missing standard columns are added");
  }

  @Test
  void everyDdlStatementIsLoggedOnTheDdlLogger() throws Exception {
    DataSource ds = PG.dataSource();
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      evolveAndLoad(
          new SchemaEvolver(ds, Dialect.postgres(), "logged"),
          ds,
          List.of(track("log1", "Logged", Map.of("a", 1L))));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(
        log.contains(
            "INFO io.segmentredshift.ddl - [logged] CREATE SCHEMA IF NOT EXISTS \"logged\""),
        log);
    assertTrue(
        log.contains(
            "INFO io.segmentredshift.ddl - [logged] CREATE TABLE IF NOT EXISTS \"logged\".\"logged\""),
        log);
    assertTrue(
        log.contains(
            "io.segmentredshift.ddl - [logged] name map: logged./properties/a is column a"),
        log);
  }

  @Test
  void schemaNamesMustAlreadyBeSafe() {
    for (String bad : new String[] {"Segment", "a b", "\"x\"", "select", "3d", ""}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new SchemaEvolver(PG.dataSource(), Dialect.redshift(), bad),
          bad);
    }
  }
}
