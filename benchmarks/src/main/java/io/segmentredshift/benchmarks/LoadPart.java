package io.segmentredshift.benchmarks;

import io.segmentredshift.benchmarks.PartResult.Judged;
import io.segmentredshift.benchmarks.harness.ChildJvm;
import io.segmentredshift.benchmarks.harness.Json;
import io.segmentredshift.benchmarks.harness.ProfileSummary;
import io.segmentredshift.benchmarks.harness.ResultRow;
import io.segmentredshift.benchmarks.harness.Stats;
import io.segmentredshift.benchmarks.harness.Target;
import io.segmentredshift.testkit.S3Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 9, point 2: track events through each loader, the whole path, next to the baselines
 * measured in the same run (raw {@code CopyManager} COPY of the same rows pre-shaped as CSV, and
 * row-by-row autocommitted INSERT of a sample). Every measurement runs in a {@link LoadBench} child
 * JVM of its own ({@value #HEAP}), against a fresh database of the suite's durable PostgreSQL.
 */
final class LoadPart {
  static final String HEAP = "-Xmx1g";
  private static final long SEED = 1;
  private static final Duration LIMIT = Duration.ofHours(2);
  private static final Map<String, String> LOADERS = new LinkedHashMap<>();

  static {
    LOADERS.put("pgcopy", "PostgresCopyLoader (COPY FROM STDIN), whole path");
    LOADERS.put("insert", "PreparedInsertLoader (multi-row INSERT), whole path");
    LOADERS.put("s3copy", "S3CopyLoader via the Redshift emulation, whole path");
  }

  private final Suite suite;

  LoadPart(Suite suite) {
    this.suite = suite;
  }

  PartResult run() throws Exception {
    SuiteOptions o = suite.options;
    List<Map<String, Object>> ceilings = new ArrayList<>();
    ceilings.add(ceiling("load-ceiling-1", o.loadEvents(), o.naiveEvents()));
    Map<String, Map<String, Object>> loaders = new LinkedHashMap<>();
    try (S3Server s3 = S3Server.start()) {
      for (String loader : LOADERS.keySet()) {
        int events = loader.equals("s3copy") ? o.s3Events() : o.loadEvents();
        loaders.put(loader, loader(loader, events, s3, List.of()));
      }
    }
    if (!o.quick()) {
      // A second ceiling after the loaders, so that a machine that got busier or quieter during
      // the loaders does not decide the ratios alone.
      ceilings.add(ceiling("load-ceiling-2", o.loadEvents(), 0));
    }
    return result(ceilings, loaders);
  }

  private Map<String, Object> ceiling(String name, int events, int naiveEvents) throws Exception {
    suite.progress("load: ceiling (%,d track events, CopyManager COPY of pre-shaped CSV)", events);
    Map<String, Object> r = ceiling(suite, name, "track", SEED, events, naiveEvents);
    suite.progress(
        "load: ceiling %,.0f rows/s (%,.0f events/s); row-by-row INSERT %,.0f rows/s",
        Json.number(r, "rows") / Json.number(r, "seconds"),
        events / Json.number(r, "seconds"),
        Json.number(r, "naiveRows") / Json.number(r, "naiveSeconds"));
    return r;
  }

  /**
   * Runs the baselines of {@link LoadBench} ({@code --mode ceiling}) in a child JVM on a fresh
   * database: the same seeded events' rows, shaped beforehand, through raw {@code CopyManager}
   * COPY, and the rows of the first {@code naiveEvents} events by row-by-row INSERT; returns its
   * figures.
   */
  static Map<String, Object> ceiling(
      Suite suite, String name, String traffic, long seed, int events, int naiveEvents)
      throws Exception {
    List<String> args =
        Args.builder()
            .add("mode", "ceiling")
            .add("pg-port", suite.postgres.port())
            .add("database", suite.database(name))
            .add("events", events)
            .add("batch", suite.options.batch())
            .add("naive-events", naiveEvents)
            .add("traffic", traffic)
            .add("seed", seed)
            .add("dir", suite.work.resolve("ceiling-csv"))
            .build();
    try (ChildJvm child = suite.child(name, List.of(HEAP), LoadBench.class, args)) {
      Map<String, Object> r = Json.read(child.await("result", LIMIT));
      child.waitFor(Duration.ofMinutes(1));
      return r;
    }
  }

  private Map<String, Object> loader(String loader, int events, S3Server s3, List<String> jvm)
      throws Exception {
    suite.progress("load: %s (%,d track events)", LOADERS.get(loader), events);
    Args.Builder args =
        Args.builder()
            .add("mode", "loader")
            .add("loader", loader)
            .add("pg-port", suite.postgres.port())
            .add("database", suite.database("load_" + loader))
            .add("events", events)
            .add("batch", suite.options.batch())
            .add("warmup-events", Math.min(20_000, events))
            .add("traffic", "track")
            .add("seed", SEED);
    if (s3 != null) {
      args.add("s3-endpoint", s3.endpoint()).add("bucket", "bench-" + loader);
    }
    List<String> options = new ArrayList<>(jvm);
    options.add(HEAP);
    String name = "load-" + loader + (jvm.isEmpty() ? "" : "-profiled");
    try (ChildJvm child = suite.child(name, options, LoadBench.class, args.build())) {
      Map<String, Object> r = Json.read(child.await("result", LIMIT));
      child.waitFor(Duration.ofMinutes(1));
      suite.progress(
          "load: %s %,.0f rows/s, %,.0f events/s",
          loader,
          Json.number(r, "rows") / Json.number(r, "seconds"),
          events / Json.number(r, "seconds"));
      return r;
    }
  }

  private PartResult result(
      List<Map<String, Object>> ceilings, Map<String, Map<String, Object>> loaders) {
    SuiteOptions o = suite.options;
    Map<String, Object> first = ceilings.get(0);
    double ceilingRows = Stats.median(ceilings.stream().map(c -> rate(c, "rows")).toList());
    double ceilingEvents = Stats.median(ceilings.stream().map(c -> rate(c, "events")).toList());
    double naiveRows = Json.number(first, "naiveRows") / Json.number(first, "naiveSeconds");
    double layoutEvents = Json.number(first, "events") / Json.number(first, "layoutSeconds");
    double csvEvents = Json.number(first, "events") / Json.number(first, "csvSeconds");

    String bench = String.format(Locale.ROOT, "load, %,d track events", o.loadEvents());
    String ceilingName = "raw CopyManager COPY, pre-shaped CSV (ceiling)";
    List<ResultRow> rows = new ArrayList<>();
    rows.add(new ResultRow(bench, ceilingName, "events/s", ceilingEvents, ceilingEvents));
    rows.add(new ResultRow(bench, ceilingName, "rows/s", ceilingRows, ceilingRows));
    for (Map.Entry<String, Map<String, Object>> e : loaders.entrySet()) {
      String variant = LOADERS.get(e.getKey());
      if (e.getKey().equals("s3copy") && o.s3Events() != o.loadEvents()) {
        variant += String.format(Locale.ROOT, " (%,d events)", o.s3Events());
      }
      rows.add(
          new ResultRow(bench, variant, "events/s", rate(e.getValue(), "events"), ceilingEvents));
      rows.add(new ResultRow(bench, variant, "rows/s", rate(e.getValue(), "rows"), ceilingRows));
    }
    rows.add(
        new ResultRow(
            bench,
            "layout and coercion alone, no database (passes 1 and 2)",
            "events/s",
            layoutEvents,
            ceilingEvents));
    rows.add(
        new ResultRow(
            bench, "CSV encoding alone (CsvWriter)", "events/s", csvEvents, ceilingEvents));
    rows.add(
        new ResultRow(bench, "row-by-row INSERT, autocommit", "rows/s", naiveRows, ceilingRows));

    String insertBench = "load, INSERT paths";
    String naiveName = "row-by-row INSERT, autocommit (baseline)";
    rows.add(new ResultRow(insertBench, naiveName, "rows/s", naiveRows, naiveRows));
    Map<String, Object> insert = loaders.get("insert");
    if (insert != null) {
      rows.add(
          new ResultRow(
              insertBench, LOADERS.get("insert"), "rows/s", rate(insert, "rows"), naiveRows));
    }
    for (Map.Entry<String, Map<String, Object>> e : loaders.entrySet()) {
      String variant = LOADERS.get(e.getKey()).replace(", whole path", "");
      Map<String, Object> r = e.getValue();
      String memory = "memory (loading JVM, " + HEAP + ")";
      rows.add(ResultRow.alone(memory, variant, "peak heap MiB", Json.number(r, "peakHeapMiB")));
      rows.add(
          ResultRow.alone(memory, variant, "heap after GC MiB", Json.number(r, "heapAfterGcMiB")));
      rows.add(ResultRow.alone(memory, variant, "peak RSS MiB", Json.number(r, "peakRssMiB")));
    }

    List<String> notes = new ArrayList<>();
    notes.add(
        String.format(
            Locale.ROOT,
            "**How.** %,d generated track events (seeded `SegmentTraffic`: about 50 event names,"
                + " 10 to 40 properties with nested objects, arrays and type drift, about 1%%"
                + " duplicate messageIds), so about two rows per event (`tracks` and the event's"
                + " table). Each loader runs in a JVM of its own (`%s`), loads 20,000 other events"
                + " into another schema to warm up, then `SegmentRedshift.load` in batches of"
                + " %,d: validation, layout, types, schema evolution, staging, merge with dedup,"
                + " one commit per batch. Only the load calls are timed. The ceiling lays out the"
                + " same events with the library beforehand (not timed), writes the rows as CSV"
                + " files (one per table and column set, %s of CSV) and loads them with one"
                + " `CopyManager.copyIn` per file into plain tables of the same columns (no key,"
                + " no index)%s. The row-by-row baseline inserts the rows of the first %,d events"
                + " one prepared INSERT per autocommitted row into plain tables. PostgreSQL 17,"
                + " embedded, durable (fsync, synchronous_commit, full_page_writes: %s).",
            o.loadEvents(),
            HEAP,
            o.batch(),
            mib(Json.number(first, "csvBytes")),
            ceilings.size() > 1
                ? String.format(
                    Locale.ROOT,
                    "; it ran before and after the loaders (%,.0f and %,.0f events/s), and the"
                        + " ratios use the mean",
                    rate(ceilings.get(0), "events"),
                    rate(ceilings.get(1), "events"))
                : "",
            (long) Json.number(first, "naiveEvents"),
            Json.text(first, "durability")));
    notes.add(whereTheTimeGoes(first, loaders));
    notes.add(
        "The loaders' row counts are about 1% lower than the ceiling's: the whole path drops"
            + " duplicate messageIds, the ceiling loads every row it is given. The S3 figure is"
            + " the emulation's speed (gzip, S3 PUT, then parsing every CSV field in Java before"
            + " its own COPY on PostgreSQL), not Redshift's.");

    List<Judged> targets = new ArrayList<>();
    Map<String, Object> pgcopy = loaders.get("pgcopy");
    targets.add(
        new Judged(
            Target.atLeast(
                "load, PostgreSQL COPY, whole path",
                "events/s ÷ raw CopyManager COPY of the same rows",
                pgcopy == null ? Double.NaN : rate(pgcopy, "events") / ceilingEvents,
                0.6,
                "×"),
            () -> profileLoader("pgcopy")));
    targets.add(
        new Judged(
            Target.atLeast(
                "load, prepared INSERT, whole path",
                "rows/s ÷ row-by-row autocommit INSERT",
                insert == null ? Double.NaN : rate(insert, "rows") / naiveRows,
                15,
                "×"),
            () -> profileLoader("insert")));
    String title =
        String.format(
            Locale.ROOT,
            "Load: %,d track events through each loader vs. raw CopyManager COPY",
            o.loadEvents());
    return new PartResult("load", title, rows, notes, targets);
  }

  private static String whereTheTimeGoes(
      Map<String, Object> ceiling, Map<String, Map<String, Object>> loaders) {
    StringBuilder md = new StringBuilder();
    md.append("**Where the time goes.** CPU seconds of the loading thread (Java: layout, types,")
        .append(" encoding, the driver) and of all PostgreSQL processes during the timed calls;")
        .append(" the rest of the wall time is neither (waiting for fsync, S3 or the network).")
        .append("\n\n| run | wall s | loading thread CPU s | PostgreSQL CPU s | other s |\n")
        .append("|---|---:|---:|---:|---:|\n");
    md.append(
        String.format(
            Locale.ROOT,
            "| ceiling: CopyManager COPY only | %.1f | – | %.1f | – |%n",
            Json.number(ceiling, "seconds"),
            Json.number(ceiling, "pgCpuSeconds")));
    for (Map.Entry<String, Map<String, Object>> e : loaders.entrySet()) {
      Map<String, Object> r = e.getValue();
      double wall = Json.number(r, "seconds");
      double jvm = Json.number(r, "jvmCpuSeconds");
      double pg = Json.number(r, "pgCpuSeconds");
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f | %.1f |%n",
              LOADERS.get(e.getKey()),
              wall,
              jvm,
              pg,
              Math.max(0, wall - jvm - pg)));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nThe ceiling's preparation, not part of its time: layout and coercion %.1f s, schema"
                + " evolution %.1f s, CSV encoding %.1f s.",
            Json.number(ceiling, "layoutSeconds"),
            Json.number(ceiling, "evolveSeconds"),
            Json.number(ceiling, "csvSeconds")));
    return md.toString();
  }

  /** The loader again with JFR on, fewer events; the summary and the CPU split. */
  private String profileLoader(String loader) throws Exception {
    int events = Math.min(suite.options.profileEvents(), suite.options.loadEvents());
    Path jfr = suite.work.resolve("profiles").resolve("load-" + loader + ".jfr");
    Map<String, Object> r;
    try (S3Server s3 = loader.equals("s3copy") ? S3Server.start() : null) {
      r = loader(loader, events, s3, Suite.jfrOptions(jfr));
    }
    return String.format(
            Locale.ROOT,
            "%s, %,d events under JFR (`%s`): %.1f s in load calls, of which %.1f s CPU of the"
                + " loading thread and %.1f s CPU of PostgreSQL.%n%n",
            LOADERS.get(loader),
            events,
            suite.work.relativize(jfr),
            Json.number(r, "seconds"),
            Json.number(r, "jvmCpuSeconds"),
            Json.number(r, "pgCpuSeconds"))
        + ProfileSummary.summarize(jfr, null, null, 12);
  }

  private static double rate(Map<String, Object> r, String what) {
    return Json.number(r, what) / Json.number(r, "seconds");
  }

  private static String mib(double bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / (1024.0 * 1024.0));
  }
}
