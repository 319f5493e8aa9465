package io.segmentredshift.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link RunAll} runs, and how big: the full suite by default, {@code --quick} for a smoke run
 * of a few minutes, each size overridable.
 *
 * @param quick the quick sizes (and results under {@code results/quick})
 * @param parts the parts to run, in order: {@code load}, {@code ingest}, {@code e2e}, {@code jmh}
 * @param loadEvents track events per loader in the load part
 * @param s3Events track events for the S3 COPY loader (through the Redshift emulation): 200,000 in
 *     the full suite, as many as the other loaders with {@code --quick}
 * @param batch events per load in the load part
 * @param naiveEvents events whose rows the row-by-row INSERT baseline inserts
 * @param ingestWarmup warm-up per ingest cell
 * @param ingestDuration measured time per ingest cell
 * @param ingestRuns runs per ingest cell (the median is reported)
 * @param connections connection counts of the ingest cells
 * @param e2eEvents events of the end-to-end runs
 * @param jmhWarmups JMH warm-up iterations of 1 s
 * @param jmhIterations JMH measured iterations of 1 s
 * @param profile {@code misses}: run each missed target again under JFR and summarise the profile;
 *     {@code none}: do not
 * @param profileEvents events of a load or end-to-end run under JFR
 * @param work where bodies, spools, logs, CSV files and the database go (on the disk to measure)
 * @param results where the Markdown and PNG files go
 */
record SuiteOptions(
    boolean quick,
    List<String> parts,
    int loadEvents,
    int s3Events,
    int batch,
    int naiveEvents,
    Duration ingestWarmup,
    Duration ingestDuration,
    int ingestRuns,
    List<Integer> connections,
    int e2eEvents,
    int jmhWarmups,
    int jmhIterations,
    String profile,
    int profileEvents,
    Path work,
    Path results) {

  static final List<String> ALL_PARTS = List.of("load", "ingest", "e2e", "jmh");

  // The S3 COPY path runs through the emulation (gzip, S3, every CSV field parsed in Java), about
  // five times slower than the other loaders: a fifth of the events keeps the full suite near 35
  // minutes on 2 cores. --s3-events 1000000 runs all of them.
  private static final int FULL_S3_EVENTS = 200_000;

  /** Reads the command line; see {@link #usage()}. */
  static SuiteOptions parse(String... args) {
    boolean quick = List.of(args).contains("--quick");
    List<String> parts = ALL_PARTS;
    int loadEvents = quick ? 50_000 : 1_000_000;
    Integer s3Events = null;
    int batch = 10_000;
    int naiveEvents = quick ? 1_000 : 5_000;
    Duration warmup = Duration.ofSeconds(quick ? 2 : 5);
    Duration duration = Duration.ofSeconds(quick ? 4 : 10);
    int runs = quick ? 1 : 3;
    List<Integer> connections = List.of(64);
    int e2eEvents = quick ? 50_000 : 1_000_000;
    int jmhWarmups = quick ? 1 : 3;
    int jmhIterations = quick ? 2 : 5;
    String profile = "misses";
    int profileEvents = quick ? 20_000 : 100_000;
    Path work = Path.of("benchmarks/target/bench");
    Path results = Path.of(quick ? "benchmarks/results/quick" : "benchmarks/results");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--quick")) {
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a + "\n" + usage());
      }
      String v = args[++i];
      switch (a) {
        case "--parts" -> parts = parts(v);
        case "--load-events" -> loadEvents = positive(a, v);
        case "--s3-events" -> s3Events = positive(a, v);
        case "--batch" -> batch = positive(a, v);
        case "--naive-events" -> naiveEvents = positive(a, v);
        case "--warmup" -> warmup = Duration.ofSeconds(Math.max(0, Integer.parseInt(v)));
        case "--duration" -> duration = Duration.ofSeconds(positive(a, v));
        case "--runs" -> runs = positive(a, v);
        case "--connections" -> connections = connections(v);
        case "--e2e-events" -> e2eEvents = positive(a, v);
        case "--jmh-warmups" -> jmhWarmups = Math.max(0, Integer.parseInt(v));
        case "--jmh-iterations" -> jmhIterations = positive(a, v);
        case "--profile" -> {
          if (!v.equals("misses") && !v.equals("none")) {
            throw new IllegalArgumentException("--profile is misses or none: " + v);
          }
          profile = v;
        }
        case "--profile-events" -> profileEvents = positive(a, v);
        case "--work" -> work = Path.of(v);
        case "--results" -> results = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
      }
    }
    if (e2eEvents % 100 != 0) {
      throw new IllegalArgumentException("--e2e-events is not a multiple of 100: " + e2eEvents);
    }
    return new SuiteOptions(
        quick,
        parts,
        loadEvents,
        s3Events != null ? s3Events : quick ? loadEvents : Math.min(FULL_S3_EVENTS, loadEvents),
        batch,
        naiveEvents,
        warmup,
        duration,
        runs,
        connections,
        e2eEvents,
        jmhWarmups,
        jmhIterations,
        profile,
        profileEvents,
        work.toAbsolutePath(),
        results);
  }

  static String usage() {
    return String.join(
        "\n",
        "usage: RunAll [--quick] [--parts load,ingest,e2e,jmh] [--load-events N] [--s3-events N]",
        "              [--batch N] [--naive-events N] [--warmup S] [--duration S] [--runs N]",
        "              [--connections 64] [--e2e-events N] [--jmh-warmups N]",
        "              [--jmh-iterations N] [--profile misses|none] [--profile-events N]",
        "              [--work DIR] [--results DIR]");
  }

  boolean runs(String part) {
    return parts.contains(part);
  }

  /** One line saying how big the run is, for the results' notes. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "%s: load %,d track events per loader (S3 COPY %,d) in loads of %,d, row-by-row INSERT of"
            + " the rows of %,d events; ingest %d s warm-up + %d s measured per cell, %d run(s)"
            + " per cell, %s connections; end to end %,d events; JMH %d × 1 s warm-up, %d × 1 s"
            + " measured, 1 fork",
        quick ? "quick sizes (smoke run: noisy, not for comparison)" : "full sizes",
        loadEvents,
        s3Events,
        batch,
        naiveEvents,
        ingestWarmup.toSeconds(),
        ingestDuration.toSeconds(),
        ingestRuns,
        connections,
        e2eEvents,
        jmhWarmups,
        jmhIterations);
  }

  private static List<String> parts(String v) {
    Set<String> out = new LinkedHashSet<>();
    for (String p : v.split(",")) {
      String part = p.trim();
      if (!ALL_PARTS.contains(part)) {
        throw new IllegalArgumentException("unknown part " + part + "; parts are " + ALL_PARTS);
      }
      out.add(part);
    }
    // Always in the suite's order, so the results read the same.
    List<String> ordered = new ArrayList<>();
    for (String p : ALL_PARTS) {
      if (out.contains(p)) {
        ordered.add(p);
      }
    }
    return List.copyOf(ordered);
  }

  private static List<Integer> connections(String v) {
    List<Integer> out = new ArrayList<>();
    for (String c : v.split(",")) {
      out.add(positive("--connections", c.trim()));
    }
    return List.copyOf(out);
  }

  private static int positive(String name, String v) {
    int n = Integer.parseInt(v);
    if (n <= 0) {
      throw new IllegalArgumentException(name + " <= 0: " + n);
    }
    return n;
  }
}
