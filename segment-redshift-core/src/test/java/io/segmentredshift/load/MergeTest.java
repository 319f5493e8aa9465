package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.schema.SchemaEvolver;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The merge: dedup within a batch and against the target, users and accounts, the ledger. */
class MergeTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");

  private static Event track(String id, Instant receivedAt, Object value) {
    return Event.builder(EventType.TRACK)
        .messageId(id)
        .anonymousId("a1")
        .event("Clicked")
        .properties(Map.of("v", value))
        .timestamp(T0)
        .receivedAt(receivedAt)
        .build();
  }

  private static Event identify(String id, String user, Instant timestamp, Map<String, ?> traits) {
    return Event.builder(EventType.IDENTIFY)
        .messageId(id)
        .userId(user)
        .traits(traits)
        .timestamp(timestamp)
        .receivedAt(T0.plusSeconds(3600))
        .build();
  }

  private static Event group(String id, String account, Instant timestamp, Map<String, ?> traits) {
    return Event.builder(EventType.GROUP)
        .messageId(id)
        .userId("u1")
        .groupId(account)
        .traits(traits)
        .timestamp(timestamp)
        .receivedAt(T0.plusSeconds(3600))
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.INSERT, Targets.PG_COPY})
  void withinABatchTheLastReceivedCopyOfAnIdWins(String loader) throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = LoaderValuesTest.schema("inbatch", loader);
    try (SegmentRedshift segment = t.open(schema)) {
      LoadResult r =
          segment.load(
              List.of(
                  track("dup", T0.plusSeconds(1), 1L),
                  track("dup", T0.plusSeconds(5), 2L),
                  track("other", T0, 10L),
                  // Same received_at as the winner so far: the later one in the batch wins.
                  track("dup", T0.plusSeconds(5), 3L),
                  // Received earlier, even though it comes last: loses.
                  track("dup", T0, 4L)));
      assertEquals(2, r.rows("tracks"));
      assertEquals(2, r.rows("clicked"));
    }
    Map<String, Map<String, Object>> rows =
        LoaderValuesTest.byId(Tables.rows(t.read(), schema, "clicked"));
    assertEquals(3L, rows.get("dup").get("v"));
    assertEquals(T0.plusSeconds(5).toString(), rows.get("dup").get("received_at"));
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.INSERT, Targets.PG_COPY})
  void loadingABatchTwiceChangesNoTableButTheLedger(String loader) throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = LoaderValuesTest.schema("twice", loader);
    List<Event> batch =
        List.of(
            track("t1", T0, 1L),
            track("t2", T0, "nul\u0000"),
            identify("i1", "u1", T0, Map.of("plan", "free")),
            group("g1", "acme", T0, Map.of("employees", 5L)));
    Map<String, List<String>> before;
    try (SegmentRedshift segment = t.open(schema)) {
      LoadResult first = segment.load(batch);
      assertEquals(2, first.rows("clicked"));
      assertEquals(1, first.discards());
      before = snapshot(t, schema);
      LoadResult second = segment.load(batch);
      assertEquals(0, second.rows("tracks"));
      assertEquals(0, second.rows("clicked"));
      assertEquals(0, second.rows("identifies"));
      assertEquals(0, second.rows("groups"));
      assertEquals(0, second.discards());
      assertEquals(1, second.rows("users"));
    }
    Map<String, List<String>> after = snapshot(t, schema);
    assertEquals(1, before.get("_loads").size());
    assertEquals(2, after.get("_loads").size());
    before.remove("_loads");
    after.remove("_loads");
    assertEquals(before, after);
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.INSERT, Targets.PG_COPY})
  void usersAndAccountsKeepTheLatestNonNullTraitWhateverTheArrivalOrder(String loader)
      throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    Map<String, Object> nullPlan = new LinkedHashMap<>();
    nullPlan.put("plan", null);
    nullPlan.put("email", "b@example.com");
    List<List<Event>> batches =
        List.of(
            List.of(
                identify("i1", "u1", T0, Map.of("plan", "free", "email", "a@example.com")),
                group("g1", "acme", T0, Map.of("name", "Acme", "employees", 5L))),
            List.of(
                identify("i2", "u1", T0.plusSeconds(20), nullPlan),
                group("g2", "acme", T0.plusSeconds(20), Map.of("employees", 50L))),
            List.of(
                identify("i3", "u1", T0.plusSeconds(30), Map.of("plan", "team")),
                identify("i4", "u2", T0.plusSeconds(1), Map.of("plan", "free")),
                group("g3", "acme", T0.plusSeconds(10), Map.of("name", "Acme Inc"))));
    String inOrder = LoaderValuesTest.schema("users_in_order", loader);
    String reversed = LoaderValuesTest.schema("users_reversed", loader);
    try (SegmentRedshift a = t.open(inOrder);
        SegmentRedshift b = t.open(reversed)) {
      for (int i = 0; i < batches.size(); i++) {
        a.load(batches.get(i));
        b.load(batches.get(batches.size() - 1 - i));
      }
    }
    for (String schema : List.of(inOrder, reversed)) {
      Map<String, Map<String, Object>> users =
          LoaderValuesTest.byId(Tables.rows(t.read(), schema, "users"));
      assertEquals(2, users.size(), schema);
      assertEquals("team", users.get("u1").get("plan"), schema);
      assertEquals("b@example.com", users.get("u1").get("email"), schema);
      assertEquals("free", users.get("u2").get("plan"), schema);
      Map<String, Object> acme = Tables.rows(t.read(), schema, "accounts").get(0);
      assertEquals("acme", acme.get("id"));
      assertEquals("Acme Inc", acme.get("name"), schema);
      assertEquals(50L, acme.get("employees"), schema);
    }
    assertEquals(snapshot(t, inOrder).get("users"), snapshot(t, reversed).get("users"));
    assertEquals(snapshot(t, inOrder).get("accounts"), snapshot(t, reversed).get("accounts"));
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.PG_COPY})
  void theLedgerRecordsBatchLoaderCountsQueryIdsAndTimes(String loader) throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = LoaderValuesTest.schema("ledger", loader);
    LoadResult r;
    try (SegmentRedshift segment = t.open(schema)) {
      r =
          segment.load(
              List.of(
                  track("t1", T0, 1L),
                  track("t2", T0, "nul\u0000"),
                  identify("i1", "u1", T0, Map.of("plan", "free"))));
    }
    List<Map<String, Object>> loads = Tables.rows(t.read(), schema, "_loads");
    assertEquals(1, loads.size());
    Map<String, Object> row = loads.get(0);
    assertEquals(r.batchId(), row.get("batch_id"));
    assertEquals(t.loader().name(), row.get("loader"));
    assertEquals(3L, row.get("event_count"));
    assertEquals(1L, row.get("discard_count"));
    assertEquals(
        "{\"_discards\":1,\"clicked\":2,\"identifies\":1,\"tracks\":2,\"users\":1}",
        row.get("table_counts"));
    if (t.redshift()) {
      assertEquals(4, r.copyQueryIds().size(), "one COPY per staged table");
      assertTrue(r.copyQueryIds().stream().allMatch(id -> id > 1000));
      assertEquals(r.copyQueryIds().toString().replace(" ", ""), row.get("copy_query_ids"));
    } else {
      assertEquals("[]", row.get("copy_query_ids"));
    }
    assertEquals(Targets.LOADED.toString(), row.get("started_at"));
    assertEquals(Targets.LOADED.toString(), row.get("finished_at"));
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.PG_COPY})
  void onRedshiftDuplicatesAreFoundWithinTheDedupWindowOnPostgresAlways(String loader)
      throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    Instant january = Instant.parse("2024-01-01T00:00:00Z");
    Instant march = Instant.parse("2024-03-01T00:00:00Z");
    for (Duration window : List.of(Duration.ofDays(7), Duration.ofDays(90))) {
      String schema = LoaderValuesTest.schema("window_" + window.toDays(), loader);
      try (SegmentRedshift segment = t.builder(schema).dedupWindow(window).build()) {
        segment.load(List.of(track("x", january, 1L)));
        // The same id again with the batch's earliest row a week and a day later.
        LoadResult again = segment.load(List.of(track("x", january, 1L), track("y", march, 2L)));
        assertEquals(1, again.rows("clicked"));
        // A redelivery with a later received_at, in a batch that starts in March.
        LoadResult late = segment.load(List.of(track("x", march, 3L)));
        boolean outsideWindow = t.redshift() && window.toDays() < 60;
        assertEquals(outsideWindow ? 1 : 0, late.rows("clicked"), schema);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.PG_COPY})
  void concurrentLoadsOfOverlappingBatchesLandEachIdOnce(String loader) throws Exception {
    Targets t = Targets.of(loader, PG, RS);
    String schema = LoaderValuesTest.schema("concurrent", loader);
    List<List<Event>> batches = new ArrayList<>();
    for (int b = 0; b < 6; b++) {
      List<Event> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        // Batches overlap by half: ids b*25 .. b*25+49.
        int id = b * 25 + i;
        batch.add(track("c" + id, T0.plusSeconds(id), (long) id));
        batch.add(identify("i" + id, "u" + (id % 7), T0.plusSeconds(id), Map.of("n", (long) id)));
      }
      batches.add(batch);
    }
    try (SegmentRedshift segment = t.open(schema)) {
      segment.load(List.of(track("c0", T0, 0L)));
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<LoadResult>> futures = new ArrayList<>();
        for (List<Event> batch : batches) {
          Callable<LoadResult> load = () -> segment.load(batch);
          futures.add(pool.submit(load));
        }
        long inserted = 0;
        for (Future<LoadResult> f : futures) {
          inserted += f.get().rows("clicked");
        }
        assertEquals(174, inserted);
      } finally {
        pool.shutdown();
      }
    }
    assertEquals(175, Tables.rows(t.read(), schema, "clicked").size());
    assertEquals(175, Tables.rows(t.read(), schema, "identifies").size());
    assertEquals(7, Tables.rows(t.read(), schema, "users").size());
    assertEquals(7, Tables.rows(t.read(), schema, "_loads").size());
    for (Map<String, Object> user : Tables.rows(t.read(), schema, "users")) {
      int u = Integer.parseInt(((String) user.get("id")).substring(1));
      // The latest identify of user u: the largest id below 175 with id % 7 == u.
      long latest = 174 - ((174 - u) % 7 + 7) % 7;
      assertEquals(latest, user.get("n"), "user " + u);
    }
    assertFalse(Tables.rows(t.read(), schema, "users").isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.PG_COPY})
  void aBatchAlreadyInTheLedgerIsReportedAsCommittedAndWrittenOnce(String loader)
      throws SQLException {
    // What a retry sees when the commit went through but its acknowledgement was lost.
    Targets t = Targets.of(loader, PG, RS);
    String schema = LoaderValuesTest.schema("ledger_retry", loader);
    // One connection that outlives every load, as in a pool: staging tables must not pile up.
    Connection pooled = t.load().getConnection();
    DataSource pool = Pools.ofOne(pooled);
    LoadPipeline pipeline =
        new LoadPipeline(
            "test",
            pool,
            new SchemaEvolver(pool, t.dialect(), schema),
            t.loader(),
            RetryPolicy.none(),
            Duration.ofDays(7),
            Clock.fixed(Targets.LOADED, ZoneOffset.UTC));
    String batchId = LoadPipeline.newBatchId();
    List<Event> batch =
        List.of(
            track("r1", T0, 1L),
            track("r2", T0, "nul\u0000"),
            identify("r3", "u1", T0, Map.of("plan", "x")));
    LoadResult first = pipeline.load(batchId, batch, List.of());
    LoadResult again = pipeline.load(batchId, batch, List.of());
    assertEquals(first.rows(), again.rows());
    assertEquals(first.discards(), again.discards());
    assertEquals(first.copyQueryIds(), again.copyQueryIds());
    assertEquals(1, Tables.rows(t.read(), schema, "_loads").size());
    assertEquals(2, Tables.rows(t.read(), schema, "tracks").size());
    assertEquals(List.of(), stagingTablesLeft(t));
    pooled.close();
  }

  /** Temporary staging tables of any session still in the catalog. */
  static List<String> stagingTablesLeft(Targets t) throws SQLException {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> r :
        Tables.query(
            t.read(), "SELECT relname FROM pg_class WHERE relname LIKE 'sr\\_stage\\_%'")) {
      out.add((String) r.get("relname"));
    }
    return out;
  }

  /** Every table of a schema as sorted row texts, uuid_ts included. */
  static Map<String, List<String>> snapshot(Targets t, String schema) throws SQLException {
    Map<String, List<String>> out = new TreeMap<>();
    for (String table : Tables.tableNames(t.read(), schema)) {
      List<String> rows = new ArrayList<>();
      for (Map<String, Object> r : Tables.rows(t.read(), schema, table)) {
        rows.add(Tables.sorted(r).toString());
      }
      rows.sort(null);
      out.put(table, rows);
    }
    return out;
  }
}
