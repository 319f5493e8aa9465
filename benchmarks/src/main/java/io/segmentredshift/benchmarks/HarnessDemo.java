package io.segmentredshift.benchmarks;

import io.segmentredshift.benchmarks.harness.BaselineHttpServer;
import io.segmentredshift.benchmarks.harness.JvmMemory;
import io.segmentredshift.benchmarks.harness.LoadGeneratorProcess;
import io.segmentredshift.benchmarks.harness.LoadGeneratorProcess.LoadRun;
import io.segmentredshift.benchmarks.harness.LoadGeneratorProcess.ServerUsage;
import io.segmentredshift.benchmarks.harness.LoadOptions;
import io.segmentredshift.benchmarks.harness.LoadResult;
import io.segmentredshift.benchmarks.harness.Machine;
import io.segmentredshift.benchmarks.harness.PostgresBaselines;
import io.segmentredshift.benchmarks.harness.PostgresBaselines.LoadBaseline;
import io.segmentredshift.benchmarks.harness.ProcessStats;
import io.segmentredshift.benchmarks.harness.Report;
import io.segmentredshift.benchmarks.harness.ResultRow;
import io.segmentredshift.benchmarks.harness.ResultsWriter;
import io.segmentredshift.benchmarks.harness.TrackRows;
import io.segmentredshift.testkit.PostgresServer;
import io.segmentredshift.testkit.SegmentTraffic;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Proves the harness end to end with one quick run: the do-nothing Netty server against a
 * deliberately slow one (append + fsync per request on one writer thread), each loaded by the
 * separate load generator process with 16 and 64 connections, then the two PostgreSQL load
 * baselines on an embedded, durable PostgreSQL 17; writes {@code
 * benchmarks/results/harness-demo.md} and {@code .png}. The do-nothing rows have a ratio of 1.0 by
 * construction.
 *
 * <p>Run from the repository root (see benchmarks/README.md):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" \
 *     io.segmentredshift.benchmarks.HarnessDemo
 * </pre>
 *
 * System properties: {@code -Dbench.seconds=5} measured seconds per cell, {@code
 * -Dbench.warmupSeconds=2}, {@code -Dbench.connections=16,64}, {@code -Dbench.copyRows=200000},
 * {@code -Dbench.insertRows=2000} ({@code 0} skips PostgreSQL), {@code
 * -Dbench.dir=benchmarks/target/demo} for the bodies, spool and database files (on the disk to
 * measure, not a tmpfs), {@code -Dbench.results=benchmarks/results}.
 */
public final class HarnessDemo {
  private static final String NOOP = "do-nothing Netty (baseline)";
  private static final String FSYNC = "fsync per request, 1 writer";
  private static final double MIB = 1024.0 * 1024.0;

  private HarnessDemo() {}

  /** Runs the demo and writes the results. */
  public static void main(String[] args) throws IOException, InterruptedException, SQLException {
    Duration seconds = Duration.ofSeconds(Long.getLong("bench.seconds", 5));
    Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 2));
    int[] connectionCounts =
        Stream.of(System.getProperty("bench.connections", "16,64").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim()))
            .toArray();
    long copyRows = Long.getLong("bench.copyRows", 200_000);
    int insertRows = Integer.getInteger("bench.insertRows", 2_000);
    Path dir = Path.of(System.getProperty("bench.dir", "benchmarks/target/demo")).toAbsolutePath();
    Path results = Path.of(System.getProperty("bench.results", "benchmarks/results"));
    Files.createDirectories(dir);

    Path bodies = dir.resolve("track-events.ndjson");
    writeTrackEvents(bodies, 20_000);
    long self = ProcessHandle.current().pid();
    List<ResultRow> rows = new ArrayList<>();
    for (int connections : connectionCounts) {
      String benchmark = "ingest, " + connections + " connections";
      LoadOptions options =
          LoadOptions.of(URI.create("http://127.0.0.1/"), bodies)
              .withConnections(connections, connections >= 64 ? 2 : 1)
              .withTimes(warmup, seconds);
      Cell noop = cell(BaselineHttpServer.Mode.NOOP, options, null, self);
      Cell fsync =
          cell(BaselineHttpServer.Mode.FSYNC_EACH, options, dir.resolve("spool.ndjson"), self);
      print(benchmark, NOOP, noop);
      print(benchmark, FSYNC, fsync);
      for (Cell c : List.of(noop, fsync)) {
        String variant = c == noop ? NOOP : FSYNC;
        LoadResult r = c.run.load();
        LoadResult base = noop.run.load();
        ServerUsage s = c.run.servers().get(0);
        ServerUsage baseServer = noop.run.servers().get(0);
        rows.add(
            new ResultRow(
                benchmark, variant, "req/s", r.requestsPerSecond(), base.requestsPerSecond()));
        rows.add(new ResultRow(benchmark, variant, "p50 ms", r.p50Ms(), base.p50Ms()));
        rows.add(new ResultRow(benchmark, variant, "p99 ms", r.p99Ms(), base.p99Ms()));
        rows.add(
            new ResultRow(
                benchmark,
                variant,
                "server CPU cores",
                s.cpuSeconds() / r.seconds(),
                baseServer.cpuSeconds() / base.seconds()));
        rows.add(
            ResultRow.alone(
                benchmark, variant, "load generator CPU cores", r.cpuSeconds() / r.seconds()));
        rows.add(
            ResultRow.alone(benchmark, variant, "server peak heap MiB", c.peakHeapBytes / MIB));
        rows.add(ResultRow.alone(benchmark, variant, "non-2xx + errors", r.non2xx() + r.errors()));
      }
    }
    rows.add(
        ResultRow.alone(
            "memory", "this JVM (servers + harness)", "peak RSS MiB", peakRss(self) / MIB));

    Machine machine = Machine.describe();
    String durability = "not measured";
    if (insertRows > 0) {
      Path data = dir.resolve("postgres");
      deleteRecursively(data); // a fresh cluster each run, on the disk being measured
      try (PostgresServer postgres = PostgresServer.start(data, true)) {
        DataSource dataSource = postgres.dataSource(postgres.createDatabase("harness_demo"));
        durability = PostgresBaselines.durability(dataSource);
        machine = machine.withPostgres(dataSource);
        rows.addAll(loadBaselines(dataSource, dir, copyRows, insertRows));
      }
    }

    Report report =
        new Report(
            "Harness demo: do-nothing Netty vs. fsync per request; COPY vs. row-by-row INSERT",
            Instant.now(),
            machine,
            rows,
            List.of(
                "A check of the benchmark harness, not a benchmark of the library. Each ingest"
                    + " cell starts a fresh server in this JVM and runs the load generator as a"
                    + " separate JVM (closed loop, keep-alive, "
                    + warmup.toSeconds()
                    + " s warm-up, "
                    + seconds.toSeconds()
                    + " s measured, one Segment track event per request, taken in turn from 20,000"
                    + " distinct ones). The generator and the server share the machine's cores, so"
                    + " the load generator's own CPU is listed. The do-nothing rows are the"
                    + " baseline, so their ratio is 1.0 by construction; the fsync variant appends"
                    + " each body to a file and fsyncs it on one writer thread before answering.",
                "Load: one COPY of "
                    + String.format(Locale.ROOT, "%,d", copyRows)
                    + " rows of a 20-column tracks-like table from a CSV file (the ceiling) and "
                    + String.format(Locale.ROOT, "%,d", insertRows)
                    + " single-row autocommitted INSERTs, both into a logged table on an embedded"
                    + " PostgreSQL (fsync, synchronous_commit, full_page_writes: "
                    + durability
                    + "). Peak heap is the sum of the heap pools'"
                    + " peaks, an upper bound."));
    ResultsWriter.Written written = ResultsWriter.write(results, "harness-demo", report);
    System.out.println();
    System.out.print(Files.readString(written.markdown()));
    System.out.println("Wrote " + written.markdown() + " and " + written.chart());
  }

  private record Cell(LoadRun run, long peakHeapBytes) {}

  private static Cell cell(BaselineHttpServer.Mode mode, LoadOptions options, Path spool, long self)
      throws IOException, InterruptedException {
    if (spool != null) {
      Files.deleteIfExists(spool);
    }
    System.gc();
    JvmMemory.resetPeaks();
    try (BaselineHttpServer server = BaselineHttpServer.start(mode, 0, spool)) {
      LoadRun run = LoadGeneratorProcess.run(options.withUrl(server.uri()), List.of(), self);
      return new Cell(run, JvmMemory.peakHeapBytes());
    } finally {
      if (spool != null) {
        Files.deleteIfExists(spool);
      }
    }
  }

  private static List<ResultRow> loadBaselines(
      DataSource dataSource, Path dir, long copyRows, int insertRows)
      throws IOException, SQLException {
    String benchmark = "load, " + String.format(Locale.ROOT, "%,d", copyRows) + " rows";
    Path csv = dir.resolve("tracks.csv");
    long bytes = TrackRows.seeded(42).writeCsv(csv, copyRows);
    PostgresBaselines.createTable(dataSource, "ceiling_tracks", false);
    LoadBaseline ceiling = PostgresBaselines.copyCeiling(dataSource, "ceiling_tracks", csv);
    Files.delete(csv);

    TrackRows sample = TrackRows.seeded(7);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < insertRows; i++) {
      rows.add(sample.next());
    }
    PostgresBaselines.createTable(dataSource, "naive_tracks", false);
    LoadBaseline naive = PostgresBaselines.rowByRowInserts(dataSource, "naive_tracks", rows);
    System.out.printf(
        Locale.ROOT,
        "%s: COPY %,d rows (%,d bytes of CSV) in %.2f s = %,.0f rows/s; row-by-row INSERT %,d rows"
            + " in %.2f s = %,.0f rows/s%n",
        benchmark,
        ceiling.rows(),
        bytes,
        ceiling.seconds(),
        ceiling.rowsPerSecond(),
        naive.rows(),
        naive.seconds(),
        naive.rowsPerSecond());
    double top = ceiling.rowsPerSecond();
    return List.of(
        new ResultRow(benchmark, "raw COPY, CSV (ceiling)", "rows/s", top, top),
        new ResultRow(
            benchmark, "row-by-row INSERT, autocommit", "rows/s", naive.rowsPerSecond(), top));
  }

  private static void writeTrackEvents(Path file, int count) throws IOException {
    SegmentTraffic traffic = SegmentTraffic.seeded(2024);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < count; i++) {
        out.write(traffic.next(SegmentTraffic.Kind.TRACK));
        out.write('\n');
      }
    }
  }

  private static void print(String benchmark, String variant, Cell cell) {
    LoadResult r = cell.run.load();
    System.out.printf(
        Locale.ROOT,
        "%s, %s: %,.0f req/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d, errors %d, server %.2f cores,"
            + " generator %.2f cores%n",
        benchmark,
        variant,
        r.requestsPerSecond(),
        r.p50Ms(),
        r.p99Ms(),
        r.non2xx(),
        r.errors(),
        cell.run.servers().get(0).cpuSeconds() / r.seconds(),
        r.cpuSeconds() / r.seconds());
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static long peakRss(long pid) {
    return ProcessStats.sample(pid).peakRssBytes();
  }
}
