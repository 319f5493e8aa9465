package io.segmentredshift.benchmarks;

import io.segmentredshift.benchmarks.PartResult.Judged;
import io.segmentredshift.benchmarks.harness.Machine;
import io.segmentredshift.benchmarks.harness.Report;
import io.segmentredshift.benchmarks.harness.ResultRow;
import io.segmentredshift.benchmarks.harness.ResultsWriter;
import io.segmentredshift.benchmarks.harness.Target;
import io.segmentredshift.testkit.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The whole benchmark suite of issue 9 in one command: load, ingest, end to end (with memory) and
 * the JMH micro benchmarks, each figure next to its baseline measured in the same run; then the
 * targets, each judged met or missed, and for every miss a profile (the measurement again under
 * JFR, summarised). Writes {@code latest.md} and {@code latest.png} plus one pair per part ({@code
 * load}, {@code ingest}, {@code e2e}, {@code jmh}) into {@code benchmarks/results} ({@code
 * benchmarks/results/quick} with {@code --quick}).
 *
 * <pre>
 * benchmarks/run.sh            # the full suite, about 35 to 40 minutes on 2 cores
 * benchmarks/run.sh --quick    # a smoke run of a few minutes
 * </pre>
 *
 * See {@link SuiteOptions#usage()} for the options and benchmarks/README.md for what each part
 * measures.
 */
public final class RunAll {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Set<String> CHART_METRICS = Set.of("events/s", "rows/s", "req/s", "p99 ms");

  private RunAll() {}

  /** Runs the suite with the given options and writes the results. */
  public static void main(String[] args) throws Exception {
    // Before anything logs: the embedded servers' INFO lines would bury the progress lines.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    if (List.of(args).contains("--help")) {
      System.out.println(SuiteOptions.usage());
      return;
    }
    SuiteOptions options;
    try {
      options = SuiteOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    String command =
        System.getProperty(
            "bench.command",
            "java -cp \"benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)\""
                + " io.segmentredshift.benchmarks.RunAll "
                + String.join(" ", args));
    long started = System.nanoTime();
    deleteRecursively(options.work());
    Files.createDirectories(options.work());
    Machine machine = Machine.describe();
    List<PartResult> parts = new ArrayList<>();
    Map<Target, String> profiles = new LinkedHashMap<>();
    System.out.println("Benchmarks: " + options.describe());
    try (PostgresServer postgres = PostgresServer.start(options.work().resolve("postgres"), true)) {
      DataSource admin = postgres.dataSource(postgres.createDatabase("machine"));
      machine = machine.withPostgres(admin);
      Suite suite = new Suite(options, postgres);
      suite.progress("on %s", machine.markdown());
      for (String part : options.parts()) {
        parts.add(
            switch (part) {
              case "load" -> new LoadPart(suite).run();
              case "ingest" -> new IngestPart(suite).run();
              case "e2e" -> new EndToEndPart(suite).run();
              case "jmh" -> new JmhPart(suite).run();
              default -> throw new IllegalStateException("no part " + part);
            });
      }
      for (PartResult part : parts) {
        for (Judged j : part.targets()) {
          Target t = j.target();
          suite.progress(
              "target %s: %s (%s %s)", t.name(), t.verdict(), t.measuredText(), t.bound());
          if (options.profile().equals("misses")
              && t.measuredInThisRun()
              && !t.met()
              && j.profiler() != null) {
            suite.progress("profiling the miss: %s, %s", t.name(), t.measure());
            try {
              profiles.put(t, j.profiler().profile());
            } catch (Exception e) {
              profiles.put(t, "Profiling failed: " + e);
            }
          }
        }
      }
      checkpoint(admin);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Instant now = Instant.now();
    Path results = options.results();
    List<String> written = new ArrayList<>();
    for (PartResult part : parts) {
      List<String> notes = new ArrayList<>();
      notes.add(runLine(command, took, options));
      if (!part.targets().isEmpty()) {
        notes.add("## Targets\n\n" + targetTable(part.targets(), profiles));
      }
      notes.addAll(part.notes());
      ResultsWriter.Written w =
          ResultsWriter.write(
              results, part.name(), new Report(part.title(), now, machine, part.rows(), notes));
      written.add(w.markdown().toString());
      written.add(w.chart().toString());
    }
    Path latest = results.resolve("latest.md");
    Path chart = results.resolve("latest.png");
    Files.writeString(
        latest,
        latest(parts, profiles, machine, now, command, took, options),
        StandardCharsets.UTF_8);
    ResultsWriter.writeChart(chart, summaryReport(parts, machine, now, options));
    written.add(latest.toString());
    written.add(chart.toString());
    System.out.println();
    System.out.println(targetTable(allTargets(parts), profiles));
    System.out.println("Wrote " + String.join(", ", written));
    System.out.printf(
        Locale.ROOT, "The suite took %d min %d s.%n", took.toMinutes(), took.toSecondsPart());
  }

  private static String runLine(String command, Duration took, SuiteOptions options) {
    return String.format(
        Locale.ROOT,
        "Command: `%s` (the whole suite took %d min %d s; %s).",
        command,
        took.toMinutes(),
        took.toSecondsPart(),
        options.describe());
  }

  private static List<Judged> allTargets(List<PartResult> parts) {
    List<Judged> all = new ArrayList<>();
    for (PartResult p : parts) {
      all.addAll(p.targets());
    }
    return all;
  }

  static String targetTable(List<Judged> targets, Map<Target, String> profiles) {
    StringBuilder md = new StringBuilder();
    md.append("| target | measure | target | measured | verdict |\n|---|---|---:|---:|---|\n");
    for (Judged j : targets) {
      Target t = j.target();
      md.append("| ")
          .append(t.name())
          .append(" | ")
          .append(t.measure())
          .append(" | ")
          .append(t.bound())
          .append(" | ")
          .append(t.measuredText())
          .append(" | ")
          .append(t.met() ? "met" : "**" + t.verdict() + "**")
          .append(profiles.containsKey(t) ? " (profile below)" : "")
          .append(" |\n");
    }
    return md.toString();
  }

  private static String latest(
      List<PartResult> parts,
      Map<Target, String> profiles,
      Machine machine,
      Instant date,
      String command,
      Duration took,
      SuiteOptions options) {
    StringBuilder md = new StringBuilder();
    md.append("# segment-redshift benchmarks")
        .append(options.quick() ? " (quick run)" : "")
        .append("\n\n");
    if (options.quick()) {
      md.append(
          "**A quick run: small sizes, one run per cell. The figures are noisy and only show that"
              + " every benchmark works; the full suite is `benchmarks/run.sh`.**\n\n");
    }
    md.append("Run ")
        .append(DATE.format(date))
        .append(" on ")
        .append(machine.markdown())
        .append(".\n\n");
    md.append(runLine(command, took, options)).append("\n\n");
    md.append(
        "Every figure is measured next to its baseline in the same run and read as a ratio: the"
            + " machine is small, shared and noisy. Each part's own file has every figure and its"
            + " notes: ");
    List<String> links = new ArrayList<>();
    for (PartResult p : parts) {
      links.add("[" + p.name() + "](" + p.name() + ".md)");
    }
    md.append(String.join(", ", links)).append(".\n\n");
    md.append("## Targets\n\n").append(targetTable(allTargets(parts), profiles)).append('\n');
    md.append("![The main figures as ratios to their baselines, and the targets](latest.png)\n\n");
    for (PartResult p : parts) {
      md.append("## ").append(p.title()).append("\n\n");
      md.append(ResultsWriter.table(p.rows())).append('\n');
      for (String note : p.notes()) {
        md.append(note.strip()).append("\n\n");
      }
    }
    if (!profiles.isEmpty()) {
      md.append("## Profiles of the missed targets\n\n");
      md.append(
          "Each missed target's measurement ran again with JFR on the measured JVM"
              + " (`-XX:StartFlightRecording=settings=profile`), after the measured runs, so the"
              + " recorder never touched the figures above. Samples are counted by thread, by the"
              + " frame on top of the stack, and by the project's methods anywhere on the stack;"
              + " the recordings stay under `benchmarks/target/bench/profiles` (open them in JDK"
              + " Mission Control, or `java -cp ... io.segmentredshift.benchmarks.harness."
              + "ProfileSummary FILE.jfr`).\n\n");
      for (Map.Entry<Target, String> e : profiles.entrySet()) {
        Target t = e.getKey();
        md.append("### ")
            .append(t.name())
            .append(": ")
            .append(t.measure())
            .append(" ")
            .append(t.measuredText())
            .append(", target ")
            .append(t.bound())
            .append("\n\n")
            .append(e.getValue().strip())
            .append("\n\n");
      }
    }
    return md.toString();
  }

  /** The main figures of every part and each target's score, for latest.png. */
  private static Report summaryReport(
      List<PartResult> parts, Machine machine, Instant date, SuiteOptions options) {
    List<ResultRow> rows = new ArrayList<>();
    for (PartResult p : parts) {
      for (Judged j : p.targets()) {
        Target t = j.target();
        if (t.measuredInThisRun() && t.threshold() > 0) {
          rows.add(
              new ResultRow(
                  "target",
                  t.name() + ", " + t.measure(),
                  "target",
                  t.atMost() ? t.threshold() : t.measured(),
                  t.atMost() ? t.measured() : t.threshold()));
        }
      }
    }
    for (PartResult p : parts) {
      for (ResultRow r : p.rows()) {
        if (CHART_METRICS.contains(r.metric()) && r.hasRatio() && r.ratio() != 1.0) {
          rows.add(r);
        }
      }
    }
    return new Report(
        "segment-redshift benchmarks"
            + (options.quick() ? " (quick run: noisy)" : "")
            + "; targets first: measured ÷ target, right of 1 is met",
        date,
        machine,
        rows,
        List.of());
  }

  /**
   * Writes the dirty pages out before the server stops: after the end-to-end runs the shutdown
   * checkpoint can take longer than the few seconds {@code pg_ctl stop} waits.
   */
  private static void checkpoint(DataSource postgres) throws SQLException {
    try (Connection c = postgres.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CHECKPOINT");
    }
  }

  /** Deletes a file or directory tree if it exists. */
  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
