package io.segmentredshift.benchmarks;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.benchmarks.harness.JvmMemory;
import io.segmentredshift.benchmarks.harness.PostgresBaselines;
import io.segmentredshift.benchmarks.harness.ProcessStats;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.testkit.PostgresServer;
import io.segmentredshift.testkit.SegmentTraffic;
import io.segmentredshift.webhook.WebhookHandler;
import io.segmentredshift.webhook.WebhookRequest;
import io.segmentredshift.webhook.WebhookResponse;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Issue 6, point 4: 1,000,000 events through the whole pipeline (webhook handler, spool with fsync,
 * flusher, PostgreSQL) in a JVM limited to {@code -Xmx256m}, with the flusher's defaults for
 * PostgreSQL. Not a test of the default suite: it runs for minutes.
 *
 * <p>The parent process starts an embedded, durable PostgreSQL 17 and a child JVM ({@code
 * -Xmx256m}, the same {@code java} and classpath) that builds a {@link SegmentRedshift} with a
 * spool and feeds its {@link WebhookHandler} with {@code /v1/batch} requests of 100 seeded events
 * ({@link SegmentTraffic}: all six call types, about 1% duplicate messageIds), 32 requests in
 * flight, each sent again after a 503 (spool full), as Segment would. Once every event is
 * acknowledged it waits for the spool to drain and closes. The child reports its duration, peak
 * heap ({@link JvmMemory}, an upper bound) and peak RSS ({@link ProcessStats}); the parent then
 * checks the warehouse: each call table holds exactly the distinct messageIds of its type.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" \
 *     io.segmentredshift.benchmarks.PipelineMemoryRun
 * </pre>
 *
 * System properties: {@code -Dbench.events=1000000}, {@code -Dbench.heap=256m}, {@code
 * -Dbench.batchSize=...} (default: the library's), {@code
 * -Dbench.dir=benchmarks/target/pipeline-memory} for the database and the spool (on the disk to
 * measure, not a tmpfs).
 */
public final class PipelineMemoryRun {
  private static final String WRITE_KEY = "memory-run";
  private static final String SCHEMA = "memory_run";
  private static final int EVENTS_PER_REQUEST = 100;
  private static final int IN_FLIGHT = 32;
  private static final long SEED = 6;
  private static final List<String> CALL_TABLES =
      List.of("tracks", "pages", "identifies", "screens", "groups", "aliases");

  private PipelineMemoryRun() {}

  /** Runs the parent, or with {@code --child} the measured pipeline. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Integer.parseInt(args[1]), args[2], Path.of(args[3]), Integer.parseInt(args[4]));
      return;
    }
    int events = Integer.getInteger("bench.events", 1_000_000);
    String heap = System.getProperty("bench.heap", "256m");
    Path dir =
        Path.of(System.getProperty("bench.dir", "benchmarks/target/pipeline-memory"))
            .toAbsolutePath();
    deleteRecursively(dir);
    try (PostgresServer pg = PostgresServer.start(dir.resolve("pg"), true)) {
      String database = pg.createDatabase("pipeline_memory");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx" + heap);
      if (System.getProperty("bench.batchSize") != null) {
        command.add("-Dbench.batchSize=" + System.getProperty("bench.batchSize"));
      }
      command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      command.add("-Dorg.slf4j.simpleLogger.log.io.segmentredshift.Flusher=info");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(PipelineMemoryRun.class.getName());
      command.add("--child");
      command.add(Integer.toString(pg.port()));
      command.add(database);
      command.add(dir.resolve("spool").toString());
      command.add(Integer.toString(events));
      Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
      String figures = null;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          System.out.println("  child | " + line);
          if (line.startsWith("| ")) {
            figures = figures == null ? line : figures + "\n" + line;
          }
        }
      }
      int exit = child.waitFor();
      Map<String, Long> expected = expectedRows(events);
      Map<String, Long> stored = storedRows(pg.dataSource(database));
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "PipelineMemoryRun: %,d events, -Xmx%s, child exit %d, %s%n%n",
          events,
          heap,
          exit,
          PostgresBaselines.durability(pg.dataSource(database)));
      System.out.println("| figure | value |");
      System.out.println("|---|---:|");
      System.out.println(figures);
      System.out.println();
      System.out.println("| table | distinct messageIds sent | rows stored |");
      System.out.println("|---|---:|---:|");
      boolean same = true;
      for (String table : CALL_TABLES) {
        long e = expected.getOrDefault(table, 0L);
        long s = stored.getOrDefault(table, 0L);
        same &= e == s;
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d |%n", table, e, s);
      }
      System.out.println();
      System.out.println(
          exit == 0 && same
              ? "OK: every event stored once."
              : "FAILED: the child failed or the tables differ.");
      if (exit != 0 || !same) {
        System.exit(1);
      }
    }
  }

  /** The measured JVM: the pipeline under the heap limit, fed as the webhook is. */
  private static void child(int pgPort, String database, Path spool, int events) throws Exception {
    PGSimpleDataSource warehouse = new PGSimpleDataSource();
    warehouse.setServerNames(new String[] {"127.0.0.1"});
    warehouse.setPortNumbers(new int[] {pgPort});
    warehouse.setDatabaseName(database);
    warehouse.setUser(PostgresServer.USER);
    AtomicLong loaded = new AtomicLong();
    AtomicLong batches = new AtomicLong();
    SegmentRedshift.Builder builder =
        SegmentRedshift.builder(warehouse)
            .dialect(Dialect.postgres())
            .name("memory-run")
            .schema(SCHEMA)
            .writeKey(WRITE_KEY)
            .spool(spool)
            .closeTimeout(Duration.ofMinutes(10))
            .loadListener(
                r -> {
                  loaded.addAndGet(r.eventCount());
                  batches.incrementAndGet();
                });
    if (System.getProperty("bench.batchSize") != null) {
      builder.batchSize(Integer.getInteger("bench.batchSize"));
    }
    AtomicLong afterGc = JvmMemory.watchAfterGc();
    JvmMemory.resetPeaks();
    long started = System.nanoTime();
    long refusedFull;
    long acceptedAt;
    try (SegmentRedshift segment = builder.build()) {
      WebhookHandler handler = segment.webhookHandler();
      refusedFull = feed(handler, events);
      acceptedAt = System.nanoTime();
      while (segment.health().backlogRecords() > 0) {
        Thread.sleep(50);
      }
    }
    long finished = System.nanoTime();
    double seconds = (finished - started) / 1e9;
    ProcessStats.Sample self = ProcessStats.self();
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += gc.getCollectionCount();
      gcMillis += gc.getCollectionTime();
    }
    Map<String, String> figures = new LinkedHashMap<>();
    figures.put("events acknowledged", String.format(Locale.ROOT, "%,d", events));
    figures.put(
        "events loaded (duplicates included)", String.format(Locale.ROOT, "%,d", loaded.get()));
    figures.put("loads (batches per schema)", Long.toString(batches.get()));
    figures.put(
        "time to acknowledge all",
        String.format(Locale.ROOT, "%.1f s", (acceptedAt - started) / 1e9));
    figures.put("time until all loaded and closed", String.format(Locale.ROOT, "%.1f s", seconds));
    figures.put("events/s end to end", String.format(Locale.ROOT, "%,.0f", events / seconds));
    figures.put(
        "requests refused with 503 (spool full) and sent again", Long.toString(refusedFull));
    figures.put("max heap (-Xmx)", mib(JvmMemory.maxHeapBytes()));
    figures.put(
        "peak heap (sum of the pools' peaks, an upper bound)", mib(JvmMemory.peakHeapBytes()));
    figures.put("largest heap in use right after a GC", mib(afterGc.get()));
    figures.put("peak RSS (VmHWM)", mib(self.peakRssBytes()));
    figures.put("GC", gcCount + " collections, " + gcMillis + " ms");
    figures.put("CPU", String.format(Locale.ROOT, "%.1f s", self.cpuNanos() / 1e9));
    figures.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
  }

  /** Feeds {@code events} in requests of 100, {@link #IN_FLIGHT} at once; returns the 503s. */
  private static long feed(WebhookHandler handler, int events) throws Exception {
    SegmentTraffic traffic = SegmentTraffic.seeded(SEED);
    Semaphore slots = new Semaphore(IN_FLIGHT);
    AtomicLong refused = new AtomicLong();
    AtomicReference<String> failure = new AtomicReference<>();
    String authorization = WriteKeys.basicAuthorization(WRITE_KEY);
    ScheduledExecutorService retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "retries");
              t.setDaemon(true);
              return t;
            });
    Sender sender = new Sender(handler, authorization, slots, refused, failure, retries);
    for (int sent = 0; sent < events; sent += EVENTS_PER_REQUEST) {
      ByteArrayOutputStream body = new ByteArrayOutputStream(EVENTS_PER_REQUEST * 1100);
      body.write("{\"batch\":[".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < EVENTS_PER_REQUEST && sent + i < events; i++) {
        if (i > 0) {
          body.write(',');
        }
        body.write(traffic.next());
      }
      body.write("]}".getBytes(StandardCharsets.UTF_8));
      byte[] bytes = body.toByteArray();
      slots.acquire();
      if (failure.get() != null) {
        throw new IllegalStateException(failure.get());
      }
      sender.send(bytes);
    }
    slots.acquire(IN_FLIGHT);
    retries.shutdown();
    if (failure.get() != null) {
      throw new IllegalStateException(failure.get());
    }
    return refused.get();
  }

  /** Sends requests, each again after a 503 until it is acknowledged, then frees its slot. */
  private record Sender(
      WebhookHandler handler,
      String authorization,
      Semaphore slots,
      AtomicLong refused,
      AtomicReference<String> failure,
      ScheduledExecutorService retries) {
    void send(byte[] body) {
      WebhookRequest request =
          WebhookRequest.of(
              "POST",
              "/v1/batch",
              Map.of("Content-Type", "application/json", "Authorization", authorization),
              body);
      handler
          .handle(request)
          .whenComplete(
              (WebhookResponse r, Throwable t) -> {
                if (r != null && r.status() == 503) {
                  refused.incrementAndGet();
                  // This runs on the spool's writer thread: wait on another.
                  retries.schedule(() -> send(body), 200, TimeUnit.MILLISECONDS);
                  return;
                }
                if (t != null || r.status() != 200) {
                  failure.compareAndSet(
                      null, t != null ? t.toString() : r.status() + " " + r.bodyText());
                }
                slots.release();
              });
    }
  }

  /** Per call table, the distinct messageIds of its type among the generated events. */
  private static Map<String, Long> expectedRows(int events) throws IOException {
    SegmentTraffic traffic = SegmentTraffic.seeded(SEED);
    Map<String, Set<String>> ids = new HashMap<>();
    for (int i = 0; i < events; i++) {
      Bodies.note(traffic.next(), ids);
    }
    Map<String, Long> out = new HashMap<>();
    ids.forEach((table, set) -> out.put(table, (long) set.size()));
    return out;
  }

  private static Map<String, Long> storedRows(DataSource ds) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      for (String table : CALL_TABLES) {
        try (ResultSet rs =
            st.executeQuery("SELECT count(*), count(DISTINCT id) FROM " + SCHEMA + "." + table)) {
          rs.next();
          if (rs.getLong(1) != rs.getLong(2)) {
            throw new IllegalStateException(table + " holds an id twice");
          }
          out.put(table, rs.getLong(1));
        }
      }
    }
    return out;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted((a, b) -> b.compareTo(a)).forEach(PipelineMemoryRun::delete);
    }
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
