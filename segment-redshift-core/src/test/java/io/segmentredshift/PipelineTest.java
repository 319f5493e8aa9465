package io.segmentredshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmentredshift.auth.Signer;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.load.LoadListener;
import io.segmentredshift.load.RetryPolicy;
import io.segmentredshift.spool.EventRecord;
import io.segmentredshift.spool.Spool;
import io.segmentredshift.spool.SpoolConfig;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.webhook.Health;
import io.segmentredshift.webhook.WebhookHandler;
import io.segmentredshift.webhook.WebhookRequest;
import io.segmentredshift.webhook.WebhookResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The pipeline behind SegmentRedshift's builder: webhook, spool, flusher, warehouse. */
class PipelineTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "shared-secret";
  private static final Instant AT = Instant.parse("2024-03-05T10:00:00Z");

  @TempDir Path dir;

  @Test
  void withoutASpoolTheAnswerComesAfterTheRowsAreCommitted() throws Exception {
    List<String> loadingThreads = Collections.synchronizedList(new ArrayList<>());
    try (SegmentRedshift segment =
        SegmentRedshift.builder(PG.dataSource())
            .name("sync")
            .schema("sync_hooks")
            .secrets(SECRET)
            .loadListener(r -> loadingThreads.add(Thread.currentThread().getName()))
            .build()) {
      WebhookHandler handler = segment.webhookHandler();
      for (int i = 0; i < 5; i++) {
        byte[] body = track("sync-" + i, "u" + i).getBytes(StandardCharsets.UTF_8);
        WebhookResponse r = signed(handler, body);
        assertEquals(200, r.status(), r.bodyText());
        // Right after the answer, the row is there: it was committed before the 200.
        assertEquals(i + 1, count("sync_hooks.tracks"));
        assertEquals(1, count("sync_hooks.tracks WHERE id = 'sync-" + i + "'"));
      }
      assertEquals(5, loadingThreads.size());
      for (String thread : loadingThreads) {
        assertTrue(thread.startsWith("sync-loader-"), thread);
      }
      Health h = segment.health();
      assertTrue(h.live());
      assertEquals(0, h.backlogRecords());
      assertNotNull(h.lastLoadAt());
      assertNull(h.lastError());
    }
  }

  @Test
  void closeDrainsEverythingSpooled() throws Exception {
    Path spoolDir = dir.resolve("spool");
    SegmentRedshift segment =
        SegmentRedshift.builder(PG.dataSource())
            .name("drain")
            .schema("drained")
            .secrets(SECRET)
            .spool(spoolDir)
            .flushInterval(Duration.ofHours(1))
            .build();
    WebhookHandler handler = segment.webhookHandler();
    for (int i = 0; i < 30; i++) {
      assertEquals(200, signed(handler, track("drain-" + i, "u").getBytes()).status());
    }
    // Acked, durable, and not loaded yet: the flush interval is an hour away.
    assertEquals(30, segment.health().backlogRecords());
    assertEquals(0, tableCount("drained"));
    segment.close();
    assertEquals(30, count("drained.tracks"));
    assertEquals(List.of("spool.lock"), files(spoolDir), "every segment was released");
    assertEquals(503, signed(handler, track("late", "u").getBytes()).status());
  }

  @Test
  void aSegmentSpanningBatchesIsReleasedOnlyWhenAllItsRecordsCommitted() throws Exception {
    Path spoolDir = dir.resolve("spanning");
    // Two segments of 10 records, as an earlier run left them.
    try (Spool spool = Spool.open(spoolDir, SpoolConfig.defaults().withFsync(false))) {
      spool.append(records("spanning", "a", 10)).join();
      spool.sealActive().join();
      spool.append(records("spanning", "b", 10)).join();
    }
    List<String> segments = new ArrayList<>(files(spoolDir));
    segments.remove("spool.lock");
    assertEquals(2, segments.size());
    Path a = spoolDir.resolve(segments.get(0));
    Path b = spoolDir.resolve(segments.get(1));
    // At each commit (the listener runs before the release): which segment files exist.
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    LoadListener listener =
        r ->
            seen.add(
                r.eventCount() + (Files.exists(a) ? "A" : "-") + (Files.exists(b) ? "B" : "-"));
    try (SegmentRedshift segment =
        SegmentRedshift.builder(PG.dataSource())
            .name("spanning")
            .schema("spanning")
            .spool(spoolDir)
            .batchSize(4)
            .flushInterval(Duration.ofHours(1))
            .loadListener(listener)
            .build()) {
      // Recovered segments are replayed at once, whatever the flush interval.
      await(() -> seen.size() == 5, "five batches");
      await(() -> !Files.exists(b), "the second segment released");
      assertEquals(2, segment.flusher().stats().releasedSegments());
    }
    // Batches: a0-a3, a4-a7, a8-a9 + b0-b1, b2-b5, b6-b9. A is kept until the third batch,
    // which holds its last records, has committed; B until the fifth.
    assertEquals(List.of("4AB", "4AB", "4AB", "4-B", "4-B"), seen);
    assertEquals(20, count("spanning.tracks"));
    assertEquals(List.of("spool.lock"), files(spoolDir));
  }

  @Test
  void eachSourceLoadsIntoItsOwnSchema() throws Exception {
    try (SegmentRedshift segment =
        SegmentRedshift.builder(PG.dataSource())
            .name("sources")
            .schema("src_hooks")
            .secrets(SECRET)
            .writeKey("key-shop", "src_shop")
            .writeKeys(Map.of("key-app", "src_app", "key-default", ""))
            .spool(dir.resolve("sources"))
            .flushInterval(Duration.ofMillis(100))
            .build()) {
      WebhookHandler handler = segment.webhookHandler();
      assertEquals(200, signed(handler, track("hook-1", "u").getBytes()).status());
      assertEquals(200, batch(handler, "key-shop", "shop-1", "shop-2").status());
      assertEquals(200, batch(handler, "key-app", "app-1").status());
      assertEquals(200, batch(handler, "key-default", "default-1").status());
      await(() -> segment.health().backlogRecords() == 0, "the spool drained");
      assertEquals(List.of("default-1", "hook-1"), ids("src_hooks.tracks"));
      assertEquals(List.of("shop-1", "shop-2"), ids("src_shop.tracks"));
      assertEquals(List.of("app-1"), ids("src_app.tracks"));
    }
  }

  @Test
  void recordsThatCannotBeLoadedAreSkippedWithoutBlockingTheSpool() throws Exception {
    Path spoolDir = dir.resolve("skipping");
    try (Spool spool = Spool.open(spoolDir, SpoolConfig.defaults().withFsync(false))) {
      List<byte[]> mixed = new ArrayList<>(records("skipped", "good", 3));
      mixed.add(new byte[] {9, 9, 9, 9});
      mixed.add(EventRecord.encode("Not A Schema", event("bad-source")));
      mixed.add(
          EventRecord.encode(
              "skipped", Event.builder(EventType.TRACK).messageId("no-user").event("X").build()));
      spool.append(mixed).join();
    }
    try (SegmentRedshift segment =
        SegmentRedshift.builder(PG.dataSource())
            .name("skipping")
            .schema("skipped")
            .spool(spoolDir)
            .build()) {
      await(() -> segment.flusher().stats().batches() == 1, "one batch");
      Flusher.Stats s = segment.flusher().stats();
      assertEquals(3, s.loadedEvents());
      assertEquals(2, s.skippedRecords(), "the undecodable record and the bad source");
      assertEquals(1, s.rejectedEvents(), "the track without a user");
      await(() -> segment.health().backlogRecords() == 0, "the segment released");
    }
    assertEquals(List.of("good-0", "good-1", "good-2"), ids("skipped.tracks"));
    assertEquals(List.of("spool.lock"), files(spoolDir));
  }

  @Test
  void healthReportsBacklogLastLoadAndLastErrorAndTheNextStartLoadsWhatWasLeft() throws Exception {
    Path spoolDir = dir.resolve("health");
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setServerNames(new String[] {"127.0.0.1"});
    nowhere.setPortNumbers(new int[] {1});
    SegmentRedshift down =
        SegmentRedshift.builder(nowhere)
            .dialect(Dialect.postgres())
            .name("health-down")
            .schema("healthy")
            .writeKey("key")
            .spool(spoolDir)
            .flushInterval(Duration.ofMillis(50))
            .retryPolicy(RetryPolicy.none())
            .flushBackoff(Duration.ofMillis(100), Duration.ofMillis(200))
            .closeTimeout(Duration.ofMillis(500))
            .build();
    WebhookHandler handler = down.webhookHandler();
    assertEquals(200, batch(handler, "key", "h-1", "h-2", "h-3").status());
    await(() -> down.health().lastError() != null, "a failed load");
    JsonNode health = json(get(handler, "/health"));
    assertEquals("ok", health.get("status").asText(), "still accepting events");
    assertEquals(3, health.get("spool").get("backlogRecords").asLong());
    assertTrue(health.get("spool").get("backlogBytes").asLong() > 0);
    assertTrue(health.get("lastLoadAt").isNull());
    assertTrue(
        health.get("lastError").get("message").asText().contains("connection"), health.toString());
    assertTrue(down.flusher().stats().failedAttempts() >= 1);
    // Closing cannot drain into a warehouse that is down: the events stay spooled.
    down.close();
    assertEquals(3, down.health().backlogRecords());

    try (SegmentRedshift up =
        SegmentRedshift.builder(PG.dataSource())
            .name("health-up")
            .schema("healthy")
            .writeKey("key")
            .spool(spoolDir)
            .build()) {
      await(() -> up.health().backlogRecords() == 0, "the replay");
      JsonNode after = json(get(up.webhookHandler(), "/health"));
      assertEquals(0, after.get("spool").get("backlogRecords").asLong());
      assertFalse(after.get("lastLoadAt").isNull());
      assertTrue(after.get("lastError").isNull());
    }
    assertEquals(List.of("h-1", "h-2", "h-3"), ids("healthy.tracks"));
  }

  @Test
  void theBuilderChecksSourcesAndAuthentication() {
    SegmentRedshift.Builder b =
        SegmentRedshift.builder(PG.dataSource()).dialect(Dialect.postgres()).schema("checked");
    assertThrows(IllegalArgumentException.class, () -> b.batchSize(0));
    assertThrows(IllegalArgumentException.class, () -> b.batchBytes(0));
    assertThrows(IllegalArgumentException.class, () -> b.flushInterval(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> b.flushBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    b.writeKey("k1", "checked_a");
    assertThrows(IllegalArgumentException.class, () -> b.writeKey("k1", "checked_b"));
    try (SegmentRedshift noAuth = b.build()) {
      // Loading needs no authentication; only the handler does, and only k1 is set.
      assertNotNull(noAuth.webhookHandler());
    }
    SegmentRedshift.Builder open =
        SegmentRedshift.builder(PG.dataSource()).dialect(Dialect.postgres()).schema("checked");
    try (SegmentRedshift instance = open.build()) {
      assertThrows(IllegalStateException.class, instance::webhookHandler);
    }
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SegmentRedshift.builder(PG.dataSource())
                    .dialect(Dialect.postgres())
                    .writeKey("k", "Robert'); DROP TABLE students;--")
                    .build());
    assertTrue(bad.getMessage().contains("snake_case"), bad.getMessage());
  }

  // --- helpers ---

  static String track(String messageId, String userId) {
    return "{\"type\":\"track\",\"messageId\":\""
        + messageId
        + "\",\"userId\":\""
        + userId
        + "\",\"event\":\"Clicked\",\"properties\":{\"n\":1},\"timestamp\":\""
        + AT
        + "\"}";
  }

  static WebhookResponse signed(WebhookHandler handler, byte[] body) throws Exception {
    return handle(
        handler,
        WebhookRequest.of(
            "POST",
            "/",
            Map.of("Content-Type", "application/json", "X-Signature", Signer.of(SECRET).sign(body)),
            body));
  }

  static WebhookResponse batch(WebhookHandler handler, String writeKey, String... messageIds)
      throws Exception {
    StringBuilder b = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < messageIds.length; i++) {
      b.append(i == 0 ? "" : ",").append(track(messageIds[i], "u"));
    }
    byte[] body = b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    return handle(
        handler,
        WebhookRequest.of(
            "POST",
            "/v1/batch",
            Map.of(
                "Content-Type",
                "application/json",
                "Authorization",
                WriteKeys.basicAuthorization(writeKey)),
            body));
  }

  static WebhookResponse get(WebhookHandler handler, String path) throws Exception {
    return handle(handler, WebhookRequest.of("GET", path, Map.of(), new byte[0]));
  }

  private static WebhookResponse handle(WebhookHandler handler, WebhookRequest request)
      throws Exception {
    return handler.handle(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static JsonNode json(WebhookResponse r) throws IOException {
    return JSON.readTree(r.body());
  }

  static Event event(String messageId) {
    return Event.builder(EventType.TRACK)
        .messageId(messageId)
        .userId("u")
        .event("Clicked")
        .timestamp(AT)
        .receivedAt(AT)
        .build();
  }

  static List<byte[]> records(String source, String prefix, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(EventRecord.encode(source, event(prefix + "-" + i)));
    }
    return out;
  }

  static List<String> files(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static long count(String fromWhere) throws SQLException {
    try (Connection c = PG.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + fromWhere)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long tableCount(String schema) throws SQLException {
    return count("information_schema.tables WHERE table_schema = '" + schema + "'");
  }

  static List<String> ids(String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = PG.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
