package io.segmentredshift.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentredshift.auth.Signer;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.SegmentTraffic;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acked means kept, once: a receiver in a child JVM (SegmentRedshift with a spool, behind Netty) is
 * killed with SIGKILL at random moments while clients stream events to it over HTTP, and started
 * again on the same spool directory each time. At the end the last one drains, and every event it
 * ever acknowledged is in the warehouse exactly once, in its source's schema, next to nothing that
 * was never sent.
 */
class CrashRecoveryTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  private static final int KILLS = 22;
  private static final int SENDERS = 3;
  private static final int SIGKILL_EXIT = 128 + 9;
  private static final List<String> CALL_TABLES =
      List.of("tracks", "pages", "identifies", "screens", "groups", "aliases");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final Map<String, String> sent = new ConcurrentHashMap<>();
  private final Map<String, String> acked = new ConcurrentHashMap<>();
  private final AtomicReference<URI> target = new AtomicReference<>();
  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong ackedRequests = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private long startupNanos;
  private long drainNanos;

  /** One request as a client would send it again and again until it is answered 2xx. */
  private record Request(
      String path, Map<String, String> headers, byte[] body, List<String> ids, String schema) {}

  @Test
  void everyAcknowledgedEventIsStoredExactlyOnceAfterRepeatedSigkills() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    long started = System.nanoTime();
    Path spool = dir.resolve("spool");
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    List<Future<?>> running = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      long senderSeed = seed + s;
      running.add(senders.submit(() -> send(senderSeed)));
    }
    int kills = 0;
    try {
      for (int round = 0; round < KILLS; round++) {
        Process child = start(spool, round);
        // Anywhere in its life: replaying the spool, appending, loading, releasing.
        Thread.sleep(random.nextInt(1500));
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
        assertEquals(SIGKILL_EXIT, child.exitValue(), "killed by SIGKILL");
        kills++;
      }
      Process last = start(spool, KILLS);
      Thread.sleep(1000);
      sending.set(false);
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      long drainStarted = System.nanoTime();
      try (OutputStream in = last.getOutputStream()) {
        in.write("close\n".getBytes(StandardCharsets.US_ASCII));
      }
      assertTrue(last.waitFor(90, TimeUnit.SECONDS), "the last child drained and exited");
      drainNanos = System.nanoTime() - drainStarted;
      assertEquals(0, last.exitValue(), Files.readString(dir.resolve("child-" + KILLS + ".log")));
    } finally {
      sending.set(false);
      senders.shutdownNow();
    }

    Map<String, List<String>> stored = stored();
    long[] loads = loads();
    int duplicates = 0;
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> a : acked.entrySet()) {
      List<String> where = stored.getOrDefault(a.getKey(), List.of());
      if (where.size() != 1 || !where.get(0).equals(a.getValue())) {
        problems.add(a.getKey() + " acked for " + a.getValue() + ", stored in " + where);
      }
    }
    int unackedStored = 0;
    for (Map.Entry<String, List<String>> s : stored.entrySet()) {
      String schema = sent.get(s.getKey());
      if (s.getValue().size() > 1) {
        duplicates++;
      }
      if (schema == null || !s.getValue().equals(List.of(schema))) {
        problems.add(s.getKey() + " stored in " + s.getValue() + " but sent for " + schema);
      }
      if (!acked.containsKey(s.getKey())) {
        unackedStored++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "crash: seed %d, %d SIGKILLs, %d requests (%d acked, %d refused or cut), %d events sent,"
            + " %d acked, %d stored (%d of them never acked), %d duplicates, %.1f s (%.1f s"
            + " starting children, %.1f s for the last one's drain); %d loads committed, %d of them"
            + " replays that added no event%n",
        seed,
        kills,
        requests.get(),
        ackedRequests.get(),
        refused.get(),
        sent.size(),
        acked.size(),
        stored.size(),
        unackedStored,
        duplicates,
        (System.nanoTime() - started) / 1e9,
        startupNanos / 1e9,
        drainNanos / 1e9,
        loads[0],
        loads[1]);
    assertEquals(List.of(), problems.subList(0, Math.min(20, problems.size())));
    assertEquals(0, duplicates);
    assertTrue(acked.size() > 1000, "enough traffic: " + acked.size());
  }

  private Process start(Path spool, int round) throws IOException, InterruptedException {
    Path portFile = dir.resolve("port-" + round);
    Path log = dir.resolve("child-" + round + ".log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
            "-cp",
            System.getProperty("java.class.path"),
            CrashChild.class.getName(),
            Integer.toString(PG.server().port()),
            PG.database(),
            spool.toString(),
            portFile.toString());
    long t0 = System.nanoTime();
    Process child =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(portFile)) {
      if (!child.isAlive() || System.nanoTime() > deadline) {
        child.destroyForcibly();
        throw new AssertionError("the child did not start: " + Files.readString(log));
      }
      Thread.sleep(10);
    }
    startupNanos += System.nanoTime() - t0;
    target.set(URI.create("http://127.0.0.1:" + Files.readString(portFile).strip()));
    return child;
  }

  /** Sends requests until told to stop, each again until it is acknowledged, as Segment does. */
  private void send(long seed) {
    SegmentTraffic traffic = SegmentTraffic.seeded(seed);
    SplittableRandom random = new SplittableRandom(seed);
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    long n = 0;
    while (sending.get()) {
      Request r = request(traffic, random, "s" + seed + "-" + n);
      n += r.ids().size();
      r.ids().forEach(id -> sent.put(id, r.schema()));
      while (!deliver(client, r)) {
        if (!sending.get()) {
          return;
        }
        pause(20);
      }
      // A few hundred events a second from all senders: what children that live a second each
      // can load, so that the backlog, and the last child's drain, stay small.
      pause(60);
    }
  }

  private boolean deliver(HttpClient client, Request r) {
    URI base = target.get();
    if (base == null) {
      return false;
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(r.path()))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
    r.headers().forEach(b::header);
    requests.incrementAndGet();
    HttpResponse<byte[]> response;
    try {
      response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      // Killed while the request was under way, or not started yet: send it again.
      refused.incrementAndGet();
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
    if (response.statusCode() >= 500) {
      refused.incrementAndGet();
      return false;
    }
    assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    JsonNode answer = json(response.body());
    assertEquals(0, answer.get("rejected").size(), answer.toString());
    ackedRequests.incrementAndGet();
    r.ids().forEach(id -> acked.put(id, r.schema()));
    return true;
  }

  /** A batch for source A or B, a single track for A, or a signed webhook for the default. */
  private static Request request(SegmentTraffic traffic, SplittableRandom random, String idPrefix) {
    int roll = random.nextInt(4);
    if (roll < 2) {
      boolean a = roll == 0;
      int count = 1 + random.nextInt(20);
      List<String> ids = new ArrayList<>();
      StringBuilder body = new StringBuilder("{\"batch\":[");
      for (int i = 0; i < count; i++) {
        String id = idPrefix + "-" + i;
        ids.add(id);
        body.append(i == 0 ? "" : ",").append(withId(traffic.next(), id));
      }
      body.append("]}");
      return new Request(
          "/v1/batch",
          Map.of(
              "Content-Type",
              "application/json",
              "Authorization",
              WriteKeys.basicAuthorization(a ? CrashChild.KEY_A : CrashChild.KEY_B)),
          body.toString().getBytes(StandardCharsets.UTF_8),
          ids,
          a ? CrashChild.SCHEMA_A : CrashChild.SCHEMA_B);
    }
    if (roll == 2) {
      byte[] body =
          withId(traffic.next(SegmentTraffic.Kind.TRACK), idPrefix)
              .getBytes(StandardCharsets.UTF_8);
      return new Request(
          "/v1/track",
          Map.of(
              "Content-Type",
              "application/json",
              "Authorization",
              WriteKeys.basicAuthorization(CrashChild.KEY_A)),
          body,
          List.of(idPrefix),
          CrashChild.SCHEMA_A);
    }
    byte[] body = withId(traffic.next(), idPrefix).getBytes(StandardCharsets.UTF_8);
    return new Request(
        "/webhook",
        Map.of(
            "Content-Type",
            "application/json",
            "X-Signature",
            Signer.of(CrashChild.SECRET).sign(body)),
        body,
        List.of(idPrefix),
        CrashChild.SCHEMA);
  }

  /** The generated message with a messageId of our own: unique, so "exactly once" is checkable. */
  private static String withId(byte[] message, String id) {
    ObjectNode node = (ObjectNode) json(message);
    node.put("messageId", id);
    return node.toString();
  }

  /** Every id in the call tables of the three schemas, with the schemas it is in. */
  private static Map<String, List<String>> stored() throws SQLException {
    Map<String, List<String>> out = new HashMap<>();
    try (Connection c = PG.connect();
        Statement st = c.createStatement()) {
      for (String schema : List.of(CrashChild.SCHEMA, CrashChild.SCHEMA_A, CrashChild.SCHEMA_B)) {
        for (String table : CALL_TABLES) {
          try (ResultSet exists =
              st.executeQuery(
                  "SELECT 1 FROM information_schema.tables WHERE table_schema = '"
                      + schema
                      + "' AND table_name = '"
                      + table
                      + "'")) {
            if (!exists.next()) {
              continue;
            }
          }
          try (ResultSet rs = st.executeQuery("SELECT id FROM " + schema + "." + table)) {
            while (rs.next()) {
              out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(schema);
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * The loads in the {@code _loads} ledgers, and how many of them added no row to a call table:
   * segments replayed after a crash that came between a commit and the release.
   */
  private static long[] loads() throws SQLException {
    long[] out = new long[2];
    try (Connection c = PG.connect();
        Statement st = c.createStatement()) {
      for (String schema : List.of(CrashChild.SCHEMA, CrashChild.SCHEMA_A, CrashChild.SCHEMA_B)) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT table_counts FROM " + schema + "._loads WHERE event_count > 0")) {
          while (rs.next()) {
            JsonNode counts = json(rs.getString(1).getBytes(StandardCharsets.UTF_8));
            long added = 0;
            for (String table : CALL_TABLES) {
              added += counts.path(table).asLong();
            }
            out[0]++;
            out[1] += added == 0 ? 1 : 0;
          }
        }
      }
    }
    return out;
  }

  private static JsonNode json(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new AssertionError(new String(bytes, StandardCharsets.UTF_8), e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
