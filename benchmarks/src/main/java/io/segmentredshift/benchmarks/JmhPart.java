package io.segmentredshift.benchmarks;

import io.segmentredshift.benchmarks.harness.ResultRow;
import io.segmentredshift.benchmarks.harness.ResultsWriter;
import io.segmentredshift.benchmarks.jmh.LayoutBenchmark;
import io.segmentredshift.benchmarks.jmh.ParseBenchmark;
import io.segmentredshift.benchmarks.jmh.SignatureBenchmark;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Issue 9, point 6: JMH micro benchmarks of the hot parts (parsing, signature verification,
 * flattening and type mapping, CSV encoding), one thread each, so that the scores are events per
 * second per core; where there is one, next to a baseline of the same bytes (Jackson's token walk,
 * the bare HMAC).
 */
final class JmhPart {
  private static final String PARSE = ParseBenchmark.class.getName() + ".";
  private static final String SIGN = SignatureBenchmark.class.getName() + ".";
  private static final String LAYOUT = LayoutBenchmark.class.getName() + ".";

  private final Suite suite;

  JmhPart(Suite suite) {
    this.suite = suite;
  }

  PartResult run() throws Exception {
    SuiteOptions o = suite.options;
    suite.progress("jmh: parsing, signatures, layout, coercion, CSV (forked JVMs)");
    Options options =
        new OptionsBuilder()
            .include(ParseBenchmark.class.getName())
            .include(SignatureBenchmark.class.getName())
            .include(LayoutBenchmark.class.getName())
            .forks(1)
            .threads(1)
            .warmupIterations(o.jmhWarmups())
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(o.jmhIterations())
            .measurementTime(TimeValue.seconds(1))
            .timeUnit(TimeUnit.SECONDS)
            .jvmArgsAppend("-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
            .shouldFailOnError(true)
            .output(suite.logs.resolve("jmh.log").toString())
            .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, double[]> scores = new LinkedHashMap<>();
    for (RunResult r : results) {
      scores.put(
          r.getParams().getBenchmark(),
          new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
    }
    for (Map.Entry<String, double[]> e : scores.entrySet()) {
      suite.progress(
          "jmh: %-70s %12s ± %s ops/s",
          e.getKey(), ResultsWriter.number(e.getValue()[0]), ResultsWriter.number(e.getValue()[1]));
    }

    String bench = "micro (JMH), events/s per core";
    List<ResultRow> rows = new ArrayList<>();
    double tokens = score(scores, PARSE + "jacksonTokens");
    rows.add(
        new ResultRow(
            bench, "baseline: Jackson token walk of a webhook body", "events/s", tokens, tokens));
    rows.add(
        new ResultRow(
            bench,
            "EventParser.parseWebhook (1 message)",
            "events/s",
            score(scores, PARSE + "parseWebhook"),
            tokens));
    rows.add(
        new ResultRow(
            bench,
            "EventParser.parseBatch (100 messages)",
            "events/s",
            score(scores, PARSE + "parseBatch"),
            tokens));
    rows.add(
        new ResultRow(
            bench,
            "EventJson.read (spool record to event)",
            "events/s",
            score(scores, PARSE + "eventJsonRead"),
            tokens));
    double hmac = score(scores, SIGN + "hmacOnly");
    rows.add(new ResultRow(bench, "baseline: bare HMAC-SHA1 of the body", "events/s", hmac, hmac));
    rows.add(
        new ResultRow(
            bench, "SignatureVerifier.verify", "events/s", score(scores, SIGN + "verify"), hmac));
    rows.add(
        ResultRow.alone(
            bench,
            "WarehouseLayout.rows (flattening, pass 1)",
            "events/s",
            score(scores, LAYOUT + "layout")));
    rows.add(
        ResultRow.alone(
            bench,
            "ResolvedSchema.rows after layout (type coercion, pass 2)",
            "events/s",
            score(scores, LAYOUT + "layoutAndCoerce")));
    rows.add(
        ResultRow.alone(
            bench, "CsvWriter of an event's rows", "events/s", score(scores, LAYOUT + "csv")));

    StringBuilder raw = new StringBuilder("| benchmark | ops/s | ± (99.9%) |\n|---|---:|---:|\n");
    for (Map.Entry<String, double[]> e : scores.entrySet()) {
      raw.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %s | %s |%n",
              e.getKey()
                  .substring(e.getKey().lastIndexOf('.', e.getKey().lastIndexOf('.') - 1) + 1),
              ResultsWriter.number(e.getValue()[0]),
              ResultsWriter.number(e.getValue()[1])));
    }
    List<String> notes =
        List.of(
            String.format(
                Locale.ROOT,
                "**How.** JMH 1.37, throughput mode, one thread, one fork (`-Xmx1g`), %d × 1 s"
                    + " warm-up and %d × 1 s measured per benchmark, on messages of the realistic"
                    + " mix (2,000 distinct ones cycled, about 1 KB each). One thread, so every"
                    + " score is per core; `parseBatch` counts its 100 messages"
                    + " (`@OperationsPerInvocation`). The layout benchmarks evolve their schema"
                    + " once at setup on an embedded PostgreSQL and measure no database work. The"
                    + " machine's other core runs whatever else runs. Sources:"
                    + " `io.segmentredshift.benchmarks.jmh`; JMH's own output is in"
                    + " `benchmarks/target/bench/logs/jmh.log`.",
                o.jmhWarmups(),
                o.jmhIterations()),
            raw.toString());
    return new PartResult(
        "jmh", "Micro benchmarks (JMH): the hot parts, events/s per core", rows, notes, List.of());
  }

  private static double score(Map<String, double[]> scores, String benchmark) {
    double[] s = scores.get(benchmark);
    return s == null ? Double.NaN : s[0];
  }
}
