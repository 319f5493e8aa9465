package io.segmentredshift.benchmarks;

import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.benchmarks.PartResult.Judged;
import io.segmentredshift.benchmarks.harness.ChildJvm;
import io.segmentredshift.benchmarks.harness.Json;
import io.segmentredshift.benchmarks.harness.LoadGenerator;
import io.segmentredshift.benchmarks.harness.LoadGeneratorProcess;
import io.segmentredshift.benchmarks.harness.LoadGeneratorProcess.LoadRun;
import io.segmentredshift.benchmarks.harness.LoadOptions;
import io.segmentredshift.benchmarks.harness.LoadResult;
import io.segmentredshift.benchmarks.harness.ProfileSummary;
import io.segmentredshift.benchmarks.harness.ResultRow;
import io.segmentredshift.benchmarks.harness.Stats;
import io.segmentredshift.benchmarks.harness.Target;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Issue 9, point 3: requests and events per second over loopback into the real receiver (a {@link
 * io.segmentredshift.SegmentRedshift} with a durable spool, fsync on) behind the Netty adapter and
 * behind the servlet adapter in Jetty, next to the do-nothing Netty server measured in the same
 * run, for signed single-event webhooks and 100-event {@code /v1/batch} posts, at each connection
 * count. Every cell starts a fresh server JVM ({@link IngestServer}, {@value #HEAP}) on a fresh
 * spool and loads it with the separate load generator process; cells are interleaved (run 1 of
 * every cell, then run 2, ...) and each figure is the median of the runs.
 */
final class IngestPart {
  static final String HEAP = "-Xmx1g";
  static final String SECRET = "bench-webhook-secret";
  static final String WRITE_KEY = "bench-write-key";
  static final long SPOOL_MAX_BYTES = 32L << 30;
  private static final long SEED = 2;
  private static final List<String> KINDS = List.of("noop", "netty", "servlet");
  private static final Map<String, String> LABELS =
      Map.of(
          "noop", "do-nothing Netty (ceiling)",
          "netty", "Netty adapter",
          "servlet", "Servlet adapter, Jetty 12");

  /** What each request carries. */
  enum Payload {
    WEBHOOK("signed webhooks (1 event each)", 1),
    BATCH("/v1/batch (100 events each)", 100);

    final String label;
    final int events;

    Payload(String label, int events) {
      this.label = label;
      this.events = events;
    }
  }

  /** One measured cell: what the generator saw and what the server reported. */
  record Cell(
      String kind,
      Payload payload,
      int connections,
      String flusher,
      LoadResult load,
      double serverCpuSeconds,
      double serverPeakRssMiB,
      Map<String, Object> stats,
      Instant from,
      Instant to) {
    double eventsPerSecond() {
      return load.requestsPerSecond() * payload.events;
    }

    double serverCores() {
      return serverCpuSeconds / load.seconds();
    }

    double generatorCores() {
      return load.cpuSeconds() / load.seconds();
    }

    long failed() {
      return load.non2xx() + load.errors();
    }
  }

  private final Suite suite;
  private final AtomicInteger schemas = new AtomicInteger();
  private final Map<String, String> profiles = new HashMap<>();
  private Path webhookBodies;
  private Path batchBodies;
  private Path secretFile;
  private String database;

  IngestPart(Suite suite) {
    this.suite = suite;
  }

  PartResult run() throws Exception {
    prepare();
    SuiteOptions o = suite.options;
    List<Cell> cells = new ArrayList<>();
    for (int run = 1; run <= o.ingestRuns(); run++) {
      for (Payload payload : Payload.values()) {
        for (int connections : o.connections()) {
          for (String kind : KINDS) {
            cells.add(cell(kind, payload, connections, "held", "r" + run, null));
          }
        }
      }
    }
    int gate = gate();
    List<Cell> flushing = new ArrayList<>();
    for (Payload payload : Payload.values()) {
      flushing.add(cell("netty", payload, gate, "on", "r1", null));
    }
    return result(cells, flushing);
  }

  /** The bodies files and the secret, written once for the part. */
  void prepare() throws IOException {
    if (webhookBodies != null) {
      return;
    }
    Path dir = suite.work.resolve("ingest");
    Files.createDirectories(dir);
    webhookBodies = dir.resolve("webhooks.ndjson");
    batchBodies = dir.resolve("batches.ndjson");
    secretFile = dir.resolve("secret");
    Files.writeString(secretFile, SECRET, StandardCharsets.UTF_8);
    boolean quick = suite.options.quick();
    long singles = Bodies.singles(webhookBodies, SEED, quick ? 20_000 : 100_000);
    Bodies.batches(batchBodies, SEED + 1, quick ? 200 : 1_000, Payload.BATCH.events, false);
    suite.progress(
        "ingest: bodies written (%,d bytes of single events, %,d bytes of batches)",
        singles, Files.size(batchBodies));
    database = suite.database("ingest");
  }

  /** The connection count of the gate: 64 if measured, else the largest. */
  int gate() {
    List<Integer> c = suite.options.connections();
    return c.contains(64) ? 64 : c.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  /** Starts a server, loads it with the generator and stops it. */
  Cell cell(String kind, Payload payload, int connections, String flusher, String tag, Path jfr)
      throws Exception {
    String name =
        "ingest-"
            + kind
            + "-"
            + payload.name().toLowerCase(Locale.ROOT)
            + "-"
            + connections
            + (flusher.equals("on") ? "-flushing" : "")
            + "-"
            + tag;
    Path spool = suite.work.resolve("ingest").resolve("spool");
    RunAll.deleteRecursively(spool);
    List<String> jvm = new ArrayList<>();
    jvm.add(HEAP);
    if (jfr != null) {
      jvm.addAll(Suite.jfrOptions(jfr));
    }
    List<String> args =
        Args.builder()
            .add("kind", kind)
            .add("pg-port", suite.postgres.port())
            .add("database", database)
            .add("schema", "ingest_" + schemas.incrementAndGet())
            .add("spool", spool)
            .add("spool-max-bytes", SPOOL_MAX_BYTES)
            .add("flusher", flusher)
            .add("secret-file", secretFile)
            .add("write-key", WRITE_KEY)
            .build();
    try (ChildJvm server = suite.child(name, jvm, IngestServer.class, args)) {
      String[] listening = server.await("listening", Duration.ofMinutes(2)).split(" ");
      String prefix = listening[1].equals("/") ? "" : listening[1];
      String path =
          kind.equals("noop") ? "/" : payload == Payload.WEBHOOK ? "/webhook" : "/v1/batch";
      URI url = URI.create("http://127.0.0.1:" + listening[0] + prefix + path);
      LoadOptions options =
          LoadOptions.of(url, payload == Payload.WEBHOOK ? webhookBodies : batchBodies)
              .withConnections(connections, connections >= 64 ? 2 : 1)
              .withTimes(suite.options.ingestWarmup(), suite.options.ingestDuration());
      if (payload == Payload.WEBHOOK) {
        options = options.withSignature("X-Signature", secretFile);
      } else {
        options =
            options.withHeaders(
                List.of(
                    "Content-Type: application/json",
                    "Authorization: " + WriteKeys.basicAuthorization(WRITE_KEY)));
      }
      AtomicReference<Instant> from = new AtomicReference<>();
      AtomicReference<Instant> to = new AtomicReference<>();
      LoadRun run =
          LoadGeneratorProcess.run(
              options,
              List.of(),
              marker ->
                  (marker.equals(LoadGenerator.MEASURE_MARKER) ? from : to).set(Instant.now()),
              server.pid());
      server.send("stats");
      Map<String, Object> stats = Json.read(server.await("stats", Duration.ofMinutes(1)));
      server.send("quit");
      server.waitFor(Duration.ofMinutes(2));
      Cell cell =
          new Cell(
              kind,
              payload,
              connections,
              flusher,
              run.load(),
              run.servers().get(0).cpuSeconds(),
              run.servers().get(0).peakRssBytes() / (1024.0 * 1024.0),
              stats,
              from.get(),
              to.get());
      suite.progress(
          "ingest: %-34s %-30s %2d conn.%s %,9.0f req/s %,10.0f events/s p50 %6.2f ms p99 %6.2f"
              + " ms, failed %d",
          LABELS.get(kind),
          payload.label,
          connections,
          flusher.equals("on") ? " flusher loading" : "",
          run.load().requestsPerSecond(),
          cell.eventsPerSecond(),
          run.load().p50Ms(),
          run.load().p99Ms(),
          cell.failed());
      return cell;
    } finally {
      RunAll.deleteRecursively(spool);
    }
  }

  private PartResult result(List<Cell> cells, List<Cell> flushing) {
    SuiteOptions o = suite.options;
    List<ResultRow> rows = new ArrayList<>();
    int gate = gate();
    Map<String, Double> gateFigures = new LinkedHashMap<>();
    for (Payload payload : Payload.values()) {
      for (int connections : o.connections()) {
        String bench = "ingest, " + payload.label + ", " + connections + " connections";
        Map<String, List<Cell>> byKind = new LinkedHashMap<>();
        for (String kind : KINDS) {
          byKind.put(
              kind,
              cells.stream()
                  .filter(
                      c ->
                          c.kind.equals(kind)
                              && c.payload == payload
                              && c.connections == connections)
                  .toList());
        }
        List<Cell> noop = byKind.get("noop");
        for (String kind : KINDS) {
          List<Cell> mine = byKind.get(kind);
          String variant = LABELS.get(kind);
          rows.add(
              new ResultRow(
                  bench,
                  variant,
                  "req/s",
                  median(mine, c -> c.load.requestsPerSecond()),
                  median(noop, c -> c.load.requestsPerSecond())));
          if (payload.events > 1) {
            rows.add(
                new ResultRow(
                    bench,
                    variant,
                    "events/s",
                    median(mine, Cell::eventsPerSecond),
                    median(noop, Cell::eventsPerSecond)));
          }
          rows.add(
              new ResultRow(
                  bench,
                  variant,
                  "p50 ms",
                  median(mine, c -> c.load.p50Ms()),
                  median(noop, c -> c.load.p50Ms())));
          rows.add(
              new ResultRow(
                  bench,
                  variant,
                  "p99 ms",
                  median(mine, c -> c.load.p99Ms()),
                  median(noop, c -> c.load.p99Ms())));
          rows.add(
              new ResultRow(
                  bench,
                  variant,
                  "server CPU cores",
                  median(mine, Cell::serverCores),
                  median(noop, Cell::serverCores)));
          rows.add(
              ResultRow.alone(
                  bench, variant, "load generator CPU cores", median(mine, Cell::generatorCores)));
          rows.add(
              ResultRow.alone(
                  bench,
                  variant,
                  "non-2xx + errors (all runs)",
                  mine.stream().mapToLong(Cell::failed).sum()));
          rows.add(
              ResultRow.alone(
                  bench,
                  variant,
                  "server peak heap MiB",
                  median(mine, c -> Json.number(c.stats, "peakHeapMiB"))));
          rows.add(
              ResultRow.alone(
                  bench,
                  variant,
                  "server heap after GC MiB",
                  median(mine, c -> Json.number(c.stats, "heapAfterGcMiB"))));
          rows.add(
              ResultRow.alone(
                  bench, variant, "server peak RSS MiB", median(mine, c -> c.serverPeakRssMiB)));
          if (connections == gate) {
            String key = kind + "/" + payload;
            gateFigures.put(key + "/rps", median(mine, c -> c.load.requestsPerSecond()));
            gateFigures.put(key + "/eps", median(mine, Cell::eventsPerSecond));
            gateFigures.put(key + "/p99", median(mine, c -> c.load.p99Ms()));
          }
        }
        rows.add(
            new ResultRow(
                bench,
                "Servlet adapter vs. Netty adapter",
                "req/s",
                median(byKind.get("servlet"), c -> c.load.requestsPerSecond()),
                median(byKind.get("netty"), c -> c.load.requestsPerSecond())));
      }
    }
    for (Cell f : flushing) {
      String bench =
          "ingest while the flusher loads, " + f.payload.label + ", " + f.connections + " conn.";
      double held =
          median(
              cells.stream()
                  .filter(
                      c ->
                          c.kind.equals("netty")
                              && c.payload == f.payload
                              && c.connections == f.connections)
                  .toList(),
              Cell::eventsPerSecond);
      String variant = "Netty adapter, flusher loading (1 run)";
      rows.add(new ResultRow(bench, variant, "events/s", f.eventsPerSecond(), held));
      rows.add(ResultRow.alone(bench, variant, "p99 ms", f.load.p99Ms()));
      double serverSeconds =
          o.ingestWarmup().toMillis() / 1000.0 + o.ingestDuration().toMillis() / 1000.0;
      rows.add(
          ResultRow.alone(
              bench,
              variant,
              "events loaded/s meanwhile (whole run)",
              Json.number(f.stats, "loadedEvents") / serverSeconds));
      rows.add(ResultRow.alone(bench, variant, "server CPU cores", f.serverCores()));
      rows.add(ResultRow.alone(bench, variant, "non-2xx + errors", f.failed()));
      rows.add(
          ResultRow.alone(
              bench, variant, "server peak heap MiB", Json.number(f.stats, "peakHeapMiB")));
      rows.add(ResultRow.alone(bench, variant, "server peak RSS MiB", f.serverPeakRssMiB));
    }

    long failed =
        cells.stream().mapToLong(Cell::failed).sum()
            + flushing.stream().mapToLong(Cell::failed).sum();
    List<String> notes = new ArrayList<>();
    notes.add(
        String.format(
            Locale.ROOT,
            "**How.** Each cell starts a fresh server JVM (`%s`, default collector) on a fresh"
                + " spool directory, and the load generator as a separate JVM: closed loop, one"
                + " request in flight per keep-alive connection, %d s warm-up, %d s measured,"
                + " %d run(s) per cell interleaved, medians shown. Webhook bodies are single"
                + " messages of the realistic mix (all six call types, about 1 KB), each signed"
                + " with `X-Signature` (HMAC-SHA1 hex, computed by the generator before the run);"
                + " batch bodies are `{\"batch\":[...]}` with 100 messages (about 110 KB) and the"
                + " write key in `Authorization: Basic`. The servers: a `SegmentRedshift` on the"
                + " embedded PostgreSQL with a durable spool (fsync on, group commit), its"
                + " handler behind `SegmentNettyServer` (NIO, 2 × cores event loops) or behind"
                + " `SegmentWebhookServlet` in Jetty 12 (ee10, default thread pool); the"
                + " do-nothing Netty server answers 200 to anything (same bodies, same"
                + " generator). The generator and the server share the machine's cores; the"
                + " generator's CPU is listed.",
            HEAP,
            o.ingestWarmup().toSeconds(),
            o.ingestDuration().toSeconds(),
            o.ingestRuns()));
    notes.add(
        "**The flusher during ingest.** In the main cells the flusher is held (batch size and"
            + " flush interval set so high that no load starts): every request is parsed,"
            + " validated, authenticated and durably spooled exactly as in production, but the"
            + " load into PostgreSQL, which on this machine would compete with the receiver and"
            + " the generator for the same two cores and cannot keep up with ingest anyway, waits."
            + " So these cells measure receiving. The \"flusher loading\" rows run the real"
            + " system (the library's PostgreSQL defaults: batches of 10,000 events or 2 s) once"
            + " per payload at the gate's connection count: the receiver then shares the"
            + " machine with the flusher and PostgreSQL, and the spool's backlog grows. The"
            + " spool's size limit is raised to 32 GiB so that the backlog never answers 503;"
            + " the end-to-end part measures the sustained rate.");
    notes.add(
        failed == 0
            ? "Every request of every cell was answered 2xx: no non-2xx, no socket errors."
            : String.format(
                Locale.ROOT,
                "**%,d requests failed** (non-2xx or socket errors) over all cells; see the"
                    + " non-2xx rows and the servers' logs under `benchmarks/target/bench/logs`.",
                failed));

    String webhook = Payload.WEBHOOK.name();
    String batch = Payload.BATCH.name();
    String at = " (" + gate + " connections)";
    List<Judged> targets = new ArrayList<>();
    targets.add(
        new Judged(
            Target.atLeast(
                "ingest, Netty adapter, signed single-event webhooks" + at,
                "req/s ÷ do-nothing Netty server",
                ratio(gateFigures, "netty/" + webhook + "/rps", "noop/" + webhook + "/rps"),
                0.6,
                "×"),
            () -> profileCell("netty", Payload.WEBHOOK)));
    targets.add(
        new Judged(
            Target.atMost(
                "ingest, Netty adapter, signed single-event webhooks" + at,
                "p99 latency",
                gateFigures.getOrDefault("netty/" + webhook + "/p99", Double.NaN),
                5,
                "ms"),
            () -> profileCell("netty", Payload.WEBHOOK)));
    targets.add(
        new Judged(
            Target.atLeast(
                "ingest, Netty adapter, /v1/batch of 100 events" + at,
                "events/s",
                gateFigures.getOrDefault("netty/" + batch + "/eps", Double.NaN),
                300_000,
                "events/s"),
            () -> profileCell("netty", Payload.BATCH)));
    targets.add(
        new Judged(
            Target.atLeast(
                "ingest, Servlet adapter on Jetty, signed webhooks" + at,
                "req/s ÷ Netty adapter",
                ratio(gateFigures, "servlet/" + webhook + "/rps", "netty/" + webhook + "/rps"),
                0.8,
                "×"),
            () -> profileCell("servlet", Payload.WEBHOOK)));
    targets.add(
        new Judged(
            Target.atLeast(
                "ingest, Servlet adapter on Jetty, /v1/batch" + at,
                "events/s ÷ Netty adapter",
                ratio(gateFigures, "servlet/" + batch + "/eps", "netty/" + batch + "/eps"),
                0.8,
                "×"),
            () -> profileCell("servlet", Payload.BATCH)));
    targets.add(
        new Judged(
            Target.atMost(
                "ingest, every cell", "non-2xx responses + socket errors", failed, 0, "requests"),
            null));
    return new PartResult(
        "ingest",
        "Ingest: the Netty and Servlet adapters with a durable spool vs. a do-nothing Netty server",
        rows,
        notes,
        targets);
  }

  /** The cell at the gate again, with JFR on the server, summarised over the measured window. */
  private String profileCell(String kind, Payload payload) throws Exception {
    String key = kind + "/" + payload;
    String done = profiles.get(key);
    if (done != null) {
      return "The same profile as above: " + LABELS.get(kind) + ", " + payload.label + ".";
    }
    prepare();
    int gate = gate();
    Path jfr =
        suite
            .work
            .resolve("profiles")
            .resolve("ingest-" + kind + "-" + payload.name().toLowerCase(Locale.ROOT) + ".jfr");
    Cell c = cell(kind, payload, gate, "held", "profiled", jfr);
    String summary =
        String.format(
                Locale.ROOT,
                "%s, %s, %d connections, again under JFR (`%s`; samples of the measured window"
                    + " only): %,.0f req/s, %,.0f events/s, p50 %.2f ms, p99 %.2f ms; the"
                    + " server used %.2f cores, the generator %.2f, of %d.%n%n",
                LABELS.get(kind),
                payload.label,
                gate,
                suite.work.relativize(jfr),
                c.load.requestsPerSecond(),
                c.eventsPerSecond(),
                c.load.p50Ms(),
                c.load.p99Ms(),
                c.serverCores(),
                c.generatorCores(),
                Runtime.getRuntime().availableProcessors())
            + ProfileSummary.summarize(jfr, c.from, c.to, 12);
    profiles.put(key, summary);
    return summary;
  }

  private static double ratio(Map<String, Double> figures, String value, String baseline) {
    Double v = figures.get(value);
    Double b = figures.get(baseline);
    return v == null || b == null || b == 0 ? Double.NaN : v / b;
  }

  private static double median(List<Cell> cells, ToDoubleFunction<Cell> figure) {
    List<Double> values = new ArrayList<>();
    for (Cell c : cells) {
      values.add(figure.applyAsDouble(c));
    }
    return Stats.median(values);
  }
}
