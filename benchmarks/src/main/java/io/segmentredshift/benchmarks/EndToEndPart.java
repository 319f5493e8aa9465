package io.segmentredshift.benchmarks;

import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.benchmarks.PartResult.Judged;
import io.segmentredshift.benchmarks.harness.ChildJvm;
import io.segmentredshift.benchmarks.harness.Json;
import io.segmentredshift.benchmarks.harness.LoadGenerator;
import io.segmentredshift.benchmarks.harness.LoadGeneratorProcess;
import io.segmentredshift.benchmarks.harness.LoadGeneratorProcess.LoadRun;
import io.segmentredshift.benchmarks.harness.LoadOptions;
import io.segmentredshift.benchmarks.harness.PostgresCpu;
import io.segmentredshift.benchmarks.harness.ProcessStats;
import io.segmentredshift.benchmarks.harness.ProfileSummary;
import io.segmentredshift.benchmarks.harness.ResultRow;
import io.segmentredshift.benchmarks.harness.Target;
import java.net.URI;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * Issue 9, points 4 and 5: events posted over HTTP ({@code /v1/batch}, 100 events each, Netty
 * adapter) into the real system (durable spool, flusher with the library's PostgreSQL defaults, the
 * embedded durable PostgreSQL) until every one of them is queryable, as events per second and as a
 * ratio to raw {@code CopyManager} COPY of the same events' rows, measured in the same run; once
 * with the JVM's default heap and once with {@code -Xmx256m}.
 */
final class EndToEndPart {
  static final String CAPPED = "-Xmx256m";
  static final int CONNECTIONS = 16;
  private static final long SEED = 3;
  private static final String SCHEMA = "e2e";
  private static final List<String> CALL_TABLES =
      List.of("tracks", "pages", "identifies", "screens", "groups", "aliases");
  private static final Duration STALL = Duration.ofMinutes(5);

  /**
   * One run until everything was queryable.
   *
   * @param heap the heap option, or "" for the JVM's default
   * @param events events posted
   * @param ackSeconds from the first request to the last answer
   * @param allSeconds from the first request to the first count that found every event
   * @param failed non-2xx answers and socket errors
   * @param complete whether every call table holds exactly the distinct messageIds sent
   * @param stats the server's memory and counters at the end
   * @param serverCpuSeconds the server JVM's CPU over the run
   * @param pgCpuSeconds PostgreSQL's CPU over the run
   * @param generatorCpuSeconds the load generator's CPU over its measured window
   * @param from when the first request went out
   * @param to when every event was queryable
   */
  record Run(
      String heap,
      int events,
      double ackSeconds,
      double allSeconds,
      long failed,
      boolean complete,
      Map<String, Object> stats,
      double serverCpuSeconds,
      double pgCpuSeconds,
      double generatorCpuSeconds,
      Instant from,
      Instant to) {
    double eventsPerSecond() {
      return events / allSeconds;
    }
  }

  private final Suite suite;

  EndToEndPart(Suite suite) {
    this.suite = suite;
  }

  PartResult run() throws Exception {
    int events = suite.options.e2eEvents();
    Path bodies = suite.work.resolve("e2e").resolve("batches.ndjson");
    Files.createDirectories(bodies.getParent());
    Map<String, Long> expected = Bodies.batches(bodies, SEED, events / 100, 100, true);
    suite.progress("e2e: %,d events in %,d bodies written", events, events / 100);
    Map<String, Object> ceiling = ceiling(events);
    List<Run> runs = new ArrayList<>();
    runs.add(run("", bodies, events, expected, null));
    runs.add(run(CAPPED, bodies, events, expected, null));
    return result(ceiling, runs);
  }

  private Map<String, Object> ceiling(int events) throws Exception {
    suite.progress("e2e: ceiling (CopyManager COPY of the same events' rows, pre-shaped)");
    Map<String, Object> r = LoadPart.ceiling(suite, "e2e-ceiling", "mixed", SEED, events, 0);
    suite.progress(
        "e2e: ceiling %,.0f events/s (%,.0f rows/s)",
        events / Json.number(r, "seconds"), Json.number(r, "rows") / Json.number(r, "seconds"));
    return r;
  }

  /** Posts every body once and waits until all events are queryable. */
  Run run(String heap, Path bodies, int events, Map<String, Long> expected, Path jfr)
      throws Exception {
    String label = heap.isEmpty() ? "default heap" : heap;
    suite.progress("e2e: %,d events over HTTP into PostgreSQL, %s", events, label);
    Path spool = suite.work.resolve("e2e").resolve("spool");
    RunAll.deleteRecursively(spool);
    Path secret = suite.work.resolve("e2e").resolve("secret");
    Files.writeString(secret, IngestPart.SECRET, StandardCharsets.UTF_8);
    String database = suite.database("e2e");
    DataSource warehouse = Children.postgres(suite.postgres.port(), database);
    List<String> jvm = new ArrayList<>();
    if (!heap.isEmpty()) {
      jvm.add(heap);
    }
    if (jfr != null) {
      jvm.addAll(Suite.jfrOptions(jfr));
    }
    List<String> args =
        Args.builder()
            .add("kind", "netty")
            .add("pg-port", suite.postgres.port())
            .add("database", database)
            .add("schema", SCHEMA)
            .add("spool", spool)
            .add("spool-max-bytes", IngestPart.SPOOL_MAX_BYTES)
            .add("flusher", "on")
            .add("secret-file", secret)
            .add("write-key", IngestPart.WRITE_KEY)
            .build();
    String name =
        "e2e-" + (heap.isEmpty() ? "default-heap" : "xmx256m") + (jfr == null ? "" : "-profiled");
    long expectedTotal = expected.values().stream().mapToLong(Long::longValue).sum();
    try (ChildJvm server = suite.child(name, jvm, IngestServer.class, args)) {
      String[] listening = server.await("listening", Duration.ofMinutes(2)).split(" ");
      LoadOptions options =
          LoadOptions.of(URI.create("http://127.0.0.1:" + listening[0] + "/v1/batch"), bodies)
              .withConnections(CONNECTIONS, 1)
              .withTimes(Duration.ZERO, Duration.ofHours(3))
              .withMaxRequests(events / 100)
              .withTimeout(Duration.ofSeconds(60))
              .withHeaders(
                  List.of(
                      "Content-Type: application/json",
                      "Authorization: " + WriteKeys.basicAuthorization(IngestPart.WRITE_KEY)));
      PostgresCpu pg = PostgresCpu.of(warehouse);
      AtomicLong startNanos = new AtomicLong();
      AtomicLong ackNanos = new AtomicLong();
      AtomicReference<Instant> from = new AtomicReference<>();
      AtomicLong serverCpu0 = new AtomicLong();
      AtomicLong pgCpu0 = new AtomicLong();
      CompletableFuture<LoadRun> generator =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return LoadGeneratorProcess.run(
                      options,
                      List.of(),
                      marker -> {
                        if (marker.equals(LoadGenerator.MEASURE_MARKER)) {
                          serverCpu0.set(ProcessStats.cpuNanos(server.pid()));
                          pgCpu0.set(pg.cpuNanos());
                          from.set(Instant.now());
                          startNanos.set(System.nanoTime());
                        } else {
                          ackNanos.set(System.nanoTime());
                        }
                      },
                      server.pid());
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
      long lastTotal = -1;
      long lastProgress = System.nanoTime();
      long doneNanos;
      while (true) {
        Thread.sleep(200);
        long queryStart = System.nanoTime();
        Map<String, Long> stored = counts(warehouse);
        long total = stored.values().stream().mapToLong(Long::longValue).sum();
        if (total >= expectedTotal && startNanos.get() != 0) {
          doneNanos = queryStart;
          break;
        }
        if (total != lastTotal) {
          lastTotal = total;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
          throw new IllegalStateException(
              "end to end: no progress for " + STALL + " at " + total + " of " + expectedTotal);
        }
        if (generator.isCompletedExceptionally()) {
          generator.join();
        }
      }
      Instant to = Instant.now();
      double serverCpu = (ProcessStats.cpuNanos(server.pid()) - serverCpu0.get()) / 1e9;
      double pgCpu = (pg.cpuNanos() - pgCpu0.get()) / 1e9;
      LoadRun load = generator.join();
      Map<String, Long> stored = counts(warehouse);
      boolean complete = stored.equals(withZeros(expected));
      server.send("stats");
      Map<String, Object> stats = Json.read(server.await("stats", Duration.ofMinutes(1)));
      server.send("quit");
      server.waitFor(Duration.ofMinutes(2));
      Run run =
          new Run(
              heap,
              events,
              (ackNanos.get() - startNanos.get()) / 1e9,
              (doneNanos - startNanos.get()) / 1e9,
              load.load().non2xx() + load.load().errors(),
              complete,
              stats,
              serverCpu,
              pgCpu,
              load.load().cpuSeconds(),
              from.get(),
              to);
      suite.progress(
          "e2e: %s: acked in %.1f s, all queryable after %.1f s = %,.0f events/s; peak heap %.0f"
              + " MiB, peak RSS %.0f MiB; complete %s, failed requests %d",
          label,
          run.ackSeconds(),
          run.allSeconds(),
          run.eventsPerSecond(),
          Json.number(stats, "peakHeapMiB"),
          Json.number(stats, "peakRssMiB"),
          complete,
          run.failed());
      return run;
    } finally {
      RunAll.deleteRecursively(spool);
    }
  }

  private static Map<String, Long> withZeros(Map<String, Long> expected) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String table : CALL_TABLES) {
      out.put(table, expected.getOrDefault(table, 0L));
    }
    return out;
  }

  /** The rows of each call table of the schema (0 for a table not created yet). */
  private static Map<String, Long> counts(DataSource ds) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      for (String table : CALL_TABLES) {
        long n = 0;
        try (ResultSet exists =
            st.executeQuery("SELECT to_regclass('" + SCHEMA + "." + table + "') IS NOT NULL")) {
          exists.next();
          if (exists.getBoolean(1)) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + SCHEMA + "." + table)) {
              rs.next();
              n = rs.getLong(1);
            }
          }
        }
        out.put(table, n);
      }
    }
    return out;
  }

  private PartResult result(Map<String, Object> ceiling, List<Run> runs) {
    int events = suite.options.e2eEvents();
    double ceilingEvents = events / Json.number(ceiling, "seconds");
    String bench = String.format(Locale.ROOT, "end to end, %,d events", events);
    String ceilingName = "raw CopyManager COPY of the same rows (ceiling)";
    List<ResultRow> rows = new ArrayList<>();
    rows.add(new ResultRow(bench, ceilingName, "events/s", ceilingEvents, ceilingEvents));
    for (Run r : runs) {
      String variant =
          "HTTP → spool → PostgreSQL, " + (r.heap().isEmpty() ? "default heap" : r.heap());
      rows.add(new ResultRow(bench, variant, "events/s", r.eventsPerSecond(), ceilingEvents));
      rows.add(ResultRow.alone(bench, variant, "acknowledged events/s", events / r.ackSeconds()));
      rows.add(ResultRow.alone(bench, variant, "seconds until all queryable", r.allSeconds()));
      rows.add(ResultRow.alone(bench, variant, "non-2xx + errors", r.failed()));
      rows.add(
          ResultRow.alone(
              bench, variant, "server max heap MiB", Json.number(r.stats(), "maxHeapMiB")));
      rows.add(
          ResultRow.alone(
              bench, variant, "server peak heap MiB", Json.number(r.stats(), "peakHeapMiB")));
      rows.add(
          ResultRow.alone(
              bench,
              variant,
              "server heap after GC MiB",
              Json.number(r.stats(), "heapAfterGcMiB")));
      rows.add(
          ResultRow.alone(
              bench, variant, "server peak RSS MiB", Json.number(r.stats(), "peakRssMiB")));
      rows.add(
          ResultRow.alone(
              bench, variant, "server GC seconds", Json.number(r.stats(), "gcSeconds")));
    }

    StringBuilder time = new StringBuilder();
    time.append("**Where the time goes.** CPU seconds over each run, from the first request to")
        .append(" the count that found every event:\n\n")
        .append("| run | wall s | server JVM CPU s | PostgreSQL CPU s | load generator CPU s |")
        .append(" loads |\n|---|---:|---:|---:|---:|---:|\n");
    for (Run r : runs) {
      time.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f | %.1f | %.0f |%n",
              r.heap().isEmpty() ? "default heap" : r.heap(),
              r.allSeconds(),
              r.serverCpuSeconds(),
              r.pgCpuSeconds(),
              r.generatorCpuSeconds(),
              Json.number(r.stats(), "loads")));
    }
    time.append(
        String.format(
            Locale.ROOT,
            "%nOn %d cores the wall time can hold at most %d × the wall seconds of CPU; the"
                + " ceiling's COPY alone took %.1f s of PostgreSQL CPU for the same rows.",
            Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors(),
            Json.number(ceiling, "pgCpuSeconds")));

    List<String> notes = new ArrayList<>();
    notes.add(
        String.format(
            Locale.ROOT,
            "**How.** %,d events of the realistic mix (all six call types, about 1%% duplicate"
                + " messageIds) in %,d `/v1/batch` bodies of 100, each posted once by the load"
                + " generator (a separate JVM, %d connections, closed loop) to a fresh"
                + " `SegmentRedshift` behind the Netty adapter (its own JVM) with a durable spool"
                + " and the flusher's PostgreSQL defaults (batches of 10,000 events or 2 s, the"
                + " default loader), into a fresh database of the embedded durable PostgreSQL."
                + " The clock starts when the generator opens its window and stops at the first"
                + " count (every 200 ms) that finds every distinct messageId in its call table;"
                + " each run checks afterwards that every call table holds exactly the distinct"
                + " messageIds sent (%s). The spool's size limit is raised to 32 GiB so that a"
                + " backlog never answers 503. The ceiling lays out the same events with the"
                + " library beforehand and loads the rows with `CopyManager.copyIn` into plain"
                + " tables (%,.0f rows in %.1f s).",
            events,
            events / 100,
            CONNECTIONS,
            runs.stream().allMatch(Run::complete) ? "it did" : "**it did not**",
            Json.number(ceiling, "rows"),
            Json.number(ceiling, "seconds")));
    notes.add(time.toString());

    Run capped = runs.stream().filter(r -> r.heap().equals(CAPPED)).findFirst().orElse(null);
    List<Judged> targets = new ArrayList<>();
    targets.add(
        new Judged(
            Target.atLeast(
                "end to end, sustained, heap capped at 256 MB",
                "events/s until all queryable ÷ raw CopyManager COPY of the same rows",
                capped == null || !capped.complete()
                    ? Double.NaN
                    : capped.eventsPerSecond() / ceilingEvents,
                0.5,
                "×"),
            this::profile));
    return new PartResult(
        "e2e",
        String.format(
            Locale.ROOT,
            "End to end: %,d events over HTTP into PostgreSQL vs. raw CopyManager COPY",
            events),
        rows,
        notes,
        targets);
  }

  /** A shorter capped run under JFR, summarised. */
  private String profile() throws Exception {
    int events = Math.min(suite.options.profileEvents(), suite.options.e2eEvents());
    events -= events % 100;
    Path bodies = suite.work.resolve("e2e").resolve("profile-batches.ndjson");
    Map<String, Long> expected = Bodies.batches(bodies, SEED, events / 100, 100, true);
    Path jfr = suite.work.resolve("profiles").resolve("e2e-xmx256m.jfr");
    Run r = run(CAPPED, bodies, events, expected, jfr);
    return String.format(
            Locale.ROOT,
            "End to end with %s, %,d events, again under JFR (`%s`): all queryable after %.1f s"
                + " (%,.0f events/s), acknowledged after %.1f s; server JVM %.1f s CPU,"
                + " PostgreSQL %.1f s CPU.%n%n",
            CAPPED,
            events,
            suite.work.relativize(jfr),
            r.allSeconds(),
            r.eventsPerSecond(),
            r.ackSeconds(),
            r.serverCpuSeconds(),
            r.pgCpuSeconds())
        + ProfileSummary.summarize(jfr, r.from(), r.to(), 12);
  }
}
