package io.segmentredshift.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.AliasMessage;
import com.segment.analytics.messages.GroupMessage;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.ScreenMessage;
import com.segment.analytics.messages.TrackMessage;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.event.EventType;
import io.segmentredshift.spool.EventRecord;
import io.segmentredshift.spool.SealedSegment;
import io.segmentredshift.spool.Spool;
import io.segmentredshift.webhook.EventSink;
import io.segmentredshift.webhook.Loopback;
import io.segmentredshift.webhook.WebhookHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment's official clients, analytics-java (Maven) and @segment/analytics-node (npm, installed by
 * the build's npm ci step), send 1,000 events of every call type to a Netty receiver with a write
 * key; each event must be in the spool exactly once, under the write key's source.
 */
class RealClientsTest {
  private static final String WRITE_KEY = "wk_clients_1";
  private static final int PER_TYPE = 1000;
  private static final List<String> TYPES =
      List.of("identify", "track", "page", "screen", "group", "alias");

  @TempDir Path spoolDir;
  private Spool spool;
  private SegmentNettyServer server;

  @BeforeEach
  void start() {
    spool = Spool.open(spoolDir);
    WebhookHandler handler =
        WebhookHandler.builder(EventSink.spool(spool))
            .writeKeys(WriteKeys.of(Map.of(WRITE_KEY, "clients")))
            .build();
    server = SegmentNettyServer.builder(handler).bindAddress("127.0.0.1").port(0).start();
  }

  @AfterEach
  void stop() {
    server.close();
    spool.close();
  }

  private String host() {
    return "http://127.0.0.1:" + server.port();
  }

  @Test
  void analyticsJavaDeliversEveryEventOfEveryTypeExactlyOnce() throws Exception {
    AtomicInteger delivered = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    Analytics analytics =
        Analytics.builder(WRITE_KEY)
            .endpoint(host())
            .flushQueueSize(200)
            .flushInterval(1, TimeUnit.SECONDS)
            .callback(
                new Callback() {
                  @Override
                  public void success(Message message) {
                    delivered.incrementAndGet();
                  }

                  @Override
                  public void failure(Message message, Throwable throwable) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, throwable);
                  }
                })
            .build();
    long started = System.nanoTime();
    for (int i = 0; i < PER_TYPE; i++) {
      String user = "java-user-" + (i % 97);
      analytics.enqueue(
          IdentifyMessage.builder()
              .messageId("java-identify-" + i)
              .userId(user)
              .traits(Map.of("plan", "team", "seats", i % 7)));
      analytics.enqueue(
          TrackMessage.builder("Order Completed")
              .messageId("java-track-" + i)
              .userId(user)
              .properties(Map.of("total", i / 4.0, "currency", "EUR")));
      analytics.enqueue(PageMessage.builder("Pricing").messageId("java-page-" + i).userId(user));
      analytics.enqueue(ScreenMessage.builder("Home").messageId("java-screen-" + i).userId(user));
      analytics.enqueue(
          GroupMessage.builder("org-" + (i % 13)).messageId("java-group-" + i).userId(user));
      analytics.enqueue(
          AliasMessage.builder("anon-" + i).messageId("java-alias-" + i).userId(user));
    }
    analytics.flush();
    analytics.shutdown();
    // shutdown() stops the client's threads; callbacks of the last batches may still be running.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (delivered.get() + failed.get() < 6 * PER_TYPE && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(0, failed.get(), () -> "first failure: " + firstFailure.get());
    assertEquals(6 * PER_TYPE, delivered.get());
    assertStoredExactlyOnce("java");
    System.out.printf(
        "analytics-java: %d events in %d ms, %d appends, %d fsyncs%n",
        delivered.get(), millis, spool.stats().appends(), spool.stats().fsyncs());
  }

  @Test
  void analyticsNodeDeliversEveryEventOfEveryTypeExactlyOnce() throws Exception {
    Path client = Path.of(System.getProperty("node.client.dir", "target/node-client"));
    String version = nodeVersion();
    assertTrue(
        Files.isDirectory(client.resolve("node_modules/@segment/analytics-node")),
        "@segment/analytics-node is not installed in "
            + client
            + ": the build's npm ci step did not run");
    Path out = Files.createTempFile(spoolDir.getParent(), "node-client", ".log");
    Process node =
        new ProcessBuilder("node", "send-events.mjs", host(), WRITE_KEY, Integer.toString(PER_TYPE))
            .directory(client.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    long started = System.nanoTime();
    if (!node.waitFor(180, TimeUnit.SECONDS)) {
      node.destroyForcibly();
      fail("the Node client did not finish within 180 s:\n" + Files.readString(out));
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, node.exitValue(), output);
    JsonNode summary = Loopback.json(output.lines().reduce((a, b) -> b).orElse("{}").getBytes());
    assertEquals(6 * PER_TYPE, summary.get("sent").asInt(), output);
    assertEquals(0, summary.get("errors").asInt(), output);
    assertStoredExactlyOnce("node");
    System.out.printf(
        "analytics-node %s (node %s): %d events in %d ms (%s), %d appends, %d fsyncs%n",
        "3.1.0",
        version,
        6 * PER_TYPE,
        millis,
        summary.get("responses"),
        spool.stats().appends(),
        spool.stats().fsyncs());
  }

  /** node --version; fails the test with a clear message when Node.js is not installed. */
  private static String nodeVersion() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("`node --version` did not answer within 30 s");
      }
      String version =
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertEquals(0, p.exitValue(), version);
      return version;
    } catch (IOException e) {
      return fail("Node.js 20 or newer must be on PATH for this test (`node` not found): " + e);
    }
  }

  /** Every expected messageId is in the spool exactly once, with the right type and source. */
  private void assertStoredExactlyOnce(String prefix) {
    spool.sealActive().join();
    Map<String, Integer> seen = new HashMap<>();
    Map<String, EventType> types = new HashMap<>();
    for (SealedSegment segment : spool.sealed()) {
      segment.forEachRecord(
          bytes -> {
            EventRecord record = EventRecord.decode(bytes);
            assertEquals("clients", record.source());
            seen.merge(record.event().messageId(), 1, Integer::sum);
            types.put(record.event().messageId(), record.event().type());
          });
    }
    int expected = 0;
    for (String type : TYPES) {
      for (int i = 0; i < PER_TYPE; i++) {
        String id = prefix + "-" + type + "-" + i;
        assertEquals(1, seen.getOrDefault(id, 0), id);
        assertEquals(type, types.get(id).wireName(), id);
        expected++;
      }
    }
    assertEquals(expected, seen.size(), "nothing else was stored");
  }
}
