package io.segmentredshift.benchmarks;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.benchmarks.harness.PostgresBaselines;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.load.CsvWriter;
import io.segmentredshift.load.LoadResult;
import io.segmentredshift.load.Loader;
import io.segmentredshift.load.copy.S3CopyLoader;
import io.segmentredshift.load.insert.PreparedInsertLoader;
import io.segmentredshift.load.pgcopy.PostgresCopyLoader;
import io.segmentredshift.schema.BatchSchema;
import io.segmentredshift.schema.EventRows;
import io.segmentredshift.schema.LoadRow;
import io.segmentredshift.schema.ResolvedSchema;
import io.segmentredshift.schema.SchemaEvolver;
import io.segmentredshift.schema.TableSchema;
import io.segmentredshift.schema.WarehouseLayout;
import io.segmentredshift.testkit.PostgresServer;
import io.segmentredshift.testkit.RedshiftEmulation;
import io.segmentredshift.testkit.S3Server;
import io.segmentredshift.testkit.SegmentTraffic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The loaders' throughput with its baselines in the same run: loads 100,000 generated track events
 * into an embedded, durable PostgreSQL 17 through each loader, the whole path ({@code
 * SegmentRedshift.load}: layout, schema, dedup, the write, commit), next to the ceiling, pgjdbc's
 * {@code CopyManager.copyIn} of the same rows shaped as CSV beforehand into plain tables, and the
 * approach to beat, one autocommitted INSERT per row, on a sample of the same rows. Prints a
 * Markdown table with each figure's ratio to the ceiling and to row-by-row INSERT.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Xmx3g -cp "benchmarks/target/classes:$(cat benchmarks/target/benchmark.classpath)" \
 *     io.segmentredshift.benchmarks.LoaderThroughput
 * </pre>
 *
 * System properties: {@code -Dbench.events=100000}, {@code -Dbench.batch=10000} events per load,
 * {@code -Dbench.insertRows=2000} rows in the row-by-row sample, {@code -Dbench.rounds=3} rounds
 * (each runs every measurement once into fresh schemas, the measurements taking turns batch by
 * batch; the table shows medians over the rounds), {@code
 * -Dbench.only=ceiling,passes,pgcopy,insert,s3copy,rowbyrow} to run some of the measurements only
 * (the ceiling always runs: every ratio needs it), {@code
 * -Dbench.dir=benchmarks/target/loader-throughput} for the database files (on the disk to measure,
 * not a tmpfs).
 */
public final class LoaderThroughput {
  private static final Instant LOADED = Instant.parse("2024-03-06T00:00:00Z");
  private static final String CEILING = "ceiling: CopyManager.copyIn of pre-shaped CSV";
  private static final String ROW_BY_ROW =
      "row-by-row: one prepared INSERT per autocommit (sample)";
  private static final String PASSES = "passes 1 and 2 only (no database)";

  private LoaderThroughput() {}

  /** One measured run. */
  private record Run(String what, long events, long rows, double seconds) {
    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  /** One measurement in one round: opened into fresh schemas (not timed), then run step by step. */
  private interface Round extends AutoCloseable {
    /** Runs step {@code b} (batch {@code b}, or the {@code b}-th part of a sample): rows loaded. */
    long step(int b) throws Exception;

    @Override
    default void close() throws SQLException {}
  }

  /** A measurement: what it is called, and how to open one round of it. */
  private interface Measurement {
    Round open(int round) throws Exception;
  }

  /** Runs the measurement and prints the table. */
  public static void main(String[] args) throws Exception {
    int eventCount = Integer.getInteger("bench.events", 100_000);
    int batch = Integer.getInteger("bench.batch", 10_000);
    int sample = Integer.getInteger("bench.insertRows", 2_000);
    int rounds = Integer.getInteger("bench.rounds", 3);
    Set<String> only =
        Set.of(
            System.getProperty("bench.only", "ceiling,passes,pgcopy,insert,s3copy,rowbyrow")
                .split(","));
    Path dir =
        Path.of(System.getProperty("bench.dir", "benchmarks/target/loader-throughput"))
            .toAbsolutePath();
    List<Event> events = trackEvents(1, eventCount);
    List<Event> warmup = trackEvents(2, Math.min(eventCount, 10_000));
    List<List<Event>> batches = new ArrayList<>();
    for (int i = 0; i < events.size(); i += batch) {
      batches.add(events.subList(i, Math.min(events.size(), i + batch)));
    }
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    String durability;
    try (PostgresServer pg = PostgresServer.start(dir.resolve("pg"), true);
        S3Server s3Server = S3Server.start()) {
      S3Client s3 = s3Server.newClient();
      s3.createBucket(b -> b.bucket("loader-throughput"));
      DataSource postgres = pg.dataSource(pg.createDatabase("loaders"));
      durability = PostgresBaselines.durability(postgres);
      DataSource emulated =
          RedshiftEmulation.builder(pg.dataSource(pg.createDatabase("emulated")), s3)
              .build()
              .dataSource();
      S3CopyLoader s3Copy =
          S3CopyLoader.builder(s3, "loader-throughput")
              .iamRole("arn:aws:iam::123456789012:role/benchmark")
              .build();

      List<LoadRow> sampleRows = new ArrayList<>();
      Shaped shaped = shape(postgres, batches, sampleRows, sample);
      Map<String, Measurement> measurements = new LinkedHashMap<>();
      measurements.put(CEILING, round -> ceiling(postgres, shaped, round));
      if (only.contains("rowbyrow")) {
        measurements.put(
            ROW_BY_ROW, round -> rowByRow(postgres, sampleRows, batches.size(), round));
      }
      if (only.contains("passes")) {
        measurements.put(PASSES, round -> passesOnly(postgres, events, batches, round));
      }
      if (only.contains("pgcopy")) {
        measurements.put(
            "PostgresCopyLoader (COPY FROM STDIN), whole path",
            round ->
                whole(
                    postgres,
                    Dialect.postgres(),
                    new PostgresCopyLoader(),
                    "pgcopy",
                    round == 1 ? warmup : List.of(),
                    batches,
                    round));
      }
      if (only.contains("insert")) {
        measurements.put(
            "PreparedInsertLoader (multi-row INSERT), whole path",
            round ->
                whole(
                    postgres,
                    Dialect.postgres(),
                    new PreparedInsertLoader(),
                    "insert",
                    round == 1 ? warmup : List.of(),
                    batches,
                    round));
      }
      if (only.contains("s3copy")) {
        measurements.put(
            "S3CopyLoader via the Redshift emulation, whole path",
            round ->
                whole(
                    emulated,
                    Dialect.redshift(),
                    s3Copy,
                    "s3copy",
                    round == 1 ? warmup : List.of(),
                    batches,
                    round));
      }
      // The measurements take turns batch by batch, so that a noisy second of the shared machine
      // hits a figure and its baselines alike; each round loads into fresh schemas.
      for (int round = 1; round <= rounds; round++) {
        Map<String, Round> open = new LinkedHashMap<>();
        Map<String, long[]> totals = new LinkedHashMap<>();
        for (Map.Entry<String, Measurement> m : measurements.entrySet()) {
          open.put(m.getKey(), m.getValue().open(round));
          totals.put(m.getKey(), new long[2]);
        }
        for (int b = 0; b < batches.size(); b++) {
          for (Map.Entry<String, Round> r : open.entrySet()) {
            long start = System.nanoTime();
            long rows = r.getValue().step(b);
            long[] total = totals.get(r.getKey());
            total[0] += rows;
            total[1] += System.nanoTime() - start;
          }
        }
        for (Map.Entry<String, Round> r : open.entrySet()) {
          r.getValue().close();
          long[] total = totals.get(r.getKey());
          boolean perEvent = !r.getKey().equals(ROW_BY_ROW);
          runs.computeIfAbsent(r.getKey(), k -> new ArrayList<>())
              .add(new Run(r.getKey(), perEvent ? events.size() : 0, total[0], total[1] / 1e9));
        }
      }
    }
    print(runs, eventCount, batch, rounds, durability);
  }

  /** Track events of the seeded generator, parsed as the receiver parses them. */
  static List<Event> trackEvents(long seed, int n) {
    SegmentTraffic traffic = SegmentTraffic.seeded(seed);
    EventParser parser = EventParser.create();
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(parser.parseEvent(traffic.next(SegmentTraffic.Kind.TRACK)));
    }
    return out;
  }

  /** The whole path through one loader into a fresh schema, after an optional warm-up load. */
  private static Round whole(
      DataSource ds,
      Dialect dialect,
      Loader loader,
      String schema,
      List<Event> warmup,
      List<List<Event>> batches,
      int round) {
    if (!warmup.isEmpty()) {
      try (SegmentRedshift warm =
          SegmentRedshift.builder(ds)
              .dialect(dialect)
              .schema(schema + "_warmup")
              .loader(loader)
              .build()) {
        warm.load(warmup);
      }
    }
    SegmentRedshift segment =
        SegmentRedshift.builder(ds)
            .dialect(dialect)
            .schema(schema + "_" + round)
            .loader(loader)
            .name(schema)
            .build();
    return new Round() {
      @Override
      public long step(int b) {
        LoadResult r = segment.load(batches.get(b));
        return r.totalRows();
      }

      @Override
      public void close() {
        segment.close();
      }
    };
  }

  /**
   * Pass 1 and pass 2 alone (layout, type coercion, discard rows) against an evolved schema, as the
   * load path runs them (each event laid out once, on one thread): the CPU part of the path, no
   * database work.
   */
  private static Round passesOnly(
      DataSource ds, List<Event> events, List<List<Event>> batches, int round) {
    Dialect dialect = Dialect.postgres();
    SchemaEvolver evolver = new SchemaEvolver(ds, dialect, "passes_" + round);
    WarehouseLayout layout = new WarehouseLayout(dialect);
    BatchSchema all = new BatchSchema(dialect);
    for (Event e : events) {
      all.add(layout.rows(e, LOADED));
    }
    ResolvedSchema resolved = evolver.evolve(all);
    return b -> {
      List<Event> part = batches.get(b);
      BatchSchema needs = new BatchSchema(dialect);
      List<EventRows> laidOut = new ArrayList<>(part.size());
      for (Event e : part) {
        EventRows r = layout.rows(e, LOADED);
        needs.add(r);
        laidOut.add(r);
      }
      long rows = 0;
      for (EventRows r : laidOut) {
        rows += resolved.rows(r).size();
      }
      return rows;
    };
  }

  /** The rows the library would load, as CSV per batch and table, and the counts. */
  private record Shaped(List<Map<String, byte[]>> batches, long events, long rows) {}

  /**
   * Shapes the rows the library would load as CSV, per batch and table (not timed), into the schema
   * {@code shape}, whose tables the baselines copy; keeps the first {@code sample} rows.
   */
  private static Shaped shape(
      DataSource ds, List<List<Event>> events, List<LoadRow> sampleRows, int sample)
      throws IOException {
    Dialect dialect = Dialect.postgres();
    SchemaEvolver evolver = new SchemaEvolver(ds, dialect, "shape");
    WarehouseLayout layout = new WarehouseLayout(dialect);
    Instant loadedAt = LOADED.truncatedTo(ChronoUnit.MICROS);
    List<Map<String, byte[]>> batches = new ArrayList<>();
    long rows = 0;
    long count = 0;
    for (List<Event> part : events) {
      count += part.size();
      BatchSchema needs = new BatchSchema(dialect);
      for (Event e : part) {
        needs.add(layout.rows(e, loadedAt));
      }
      ResolvedSchema resolved = evolver.evolve(needs);
      Map<String, ByteArrayOutputStream> csv = new LinkedHashMap<>();
      Map<String, CsvWriter> writers = new LinkedHashMap<>();
      for (Event e : part) {
        for (LoadRow row : resolved.rows(layout.rows(e, loadedAt))) {
          String table = row.table().name();
          CsvWriter w =
              writers.computeIfAbsent(
                  table,
                  t -> new CsvWriter(csv.computeIfAbsent(t, x -> new ByteArrayOutputStream()), ""));
          w.write(row);
          rows++;
          if (sampleRows.size() < sample) {
            sampleRows.add(row);
          }
        }
      }
      Map<String, byte[]> bytes = new LinkedHashMap<>();
      for (Map.Entry<String, CsvWriter> w : writers.entrySet()) {
        w.getValue().flush();
        bytes.put(w.getKey(), csv.get(w.getKey()).toByteArray());
      }
      batches.add(bytes);
    }
    return new Shaped(batches, count, rows);
  }

  /**
   * The ceiling: the shaped rows COPYed with {@code CopyManager.copyIn} into plain tables of the
   * same columns (no key, no index), one COPY per table and batch, each committed.
   */
  private static Round ceiling(DataSource ds, Shaped shaped, int round) throws SQLException {
    String schema = "ceiling_" + round;
    List<Map<String, byte[]>> batches = shaped.batches();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      for (String table : batches.get(batches.size() - 1).keySet()) {
        st.execute("CREATE TABLE " + schema + ".\"" + table + "\" (LIKE shape.\"" + table + "\")");
      }
    }
    Connection c = ds.getConnection();
    PGConnection pg = c.unwrap(PGConnection.class);
    return new Round() {
      @Override
      public long step(int b) throws SQLException, IOException {
        long rows = 0;
        for (Map.Entry<String, byte[]> t : batches.get(b).entrySet()) {
          rows +=
              pg.getCopyAPI()
                  .copyIn(
                      "COPY " + schema + ".\"" + t.getKey() + "\" FROM STDIN (FORMAT csv)",
                      new ByteArrayInputStream(t.getValue()));
        }
        return rows;
      }

      @Override
      public void close() throws SQLException {
        c.close();
      }
    };
  }

  /**
   * The approach to beat: the first shaped rows (the batch's own mix of tables), each one prepared
   * INSERT with autocommit on, so each a commit and a WAL flush, into plain tables like the
   * ceiling's.
   */
  private static Round rowByRow(DataSource ds, List<LoadRow> rows, int steps, int round)
      throws SQLException {
    String schema = "rowbyrow_" + round;
    Map<String, TableSchema> tables = new LinkedHashMap<>();
    for (LoadRow row : rows) {
      tables.putIfAbsent(row.table().name(), row.table());
    }
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      for (String table : tables.keySet()) {
        st.execute("CREATE TABLE " + schema + ".\"" + table + "\" (LIKE shape.\"" + table + "\")");
      }
    }
    Connection c = ds.getConnection();
    c.setAutoCommit(true);
    Map<String, PreparedStatement> inserts = new LinkedHashMap<>();
    for (TableSchema t : tables.values()) {
      String columns =
          String.join(", ", t.columns().stream().map(col -> "\"" + col.name() + "\"").toList());
      String marks = String.join(", ", Collections.nCopies(t.columns().size(), "?"));
      inserts.put(
          t.name(),
          c.prepareStatement(
              "INSERT INTO "
                  + schema
                  + ".\""
                  + t.name()
                  + "\" ("
                  + columns
                  + ") VALUES ("
                  + marks
                  + ")"));
    }
    return new Round() {
      /** Step b inserts the b-th of {@code steps} equal parts of the sample. */
      @Override
      public long step(int b) throws SQLException {
        int from = (int) ((long) rows.size() * b / steps);
        int to = (int) ((long) rows.size() * (b + 1) / steps);
        for (LoadRow row : rows.subList(from, to)) {
          PreparedStatement ps = inserts.get(row.table().name());
          for (int i = 0; i < row.size(); i++) {
            Object v = row.value(i);
            ps.setObject(
                i + 1, v instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : v);
          }
          ps.executeUpdate();
        }
        return to - from;
      }

      @Override
      public void close() throws SQLException {
        for (PreparedStatement ps : inserts.values()) {
          ps.close();
        }
        c.close();
      }
    };
  }

  /**
   * Prints per measurement the median over the rounds of its rows/s and of its ratios to the
   * baselines of the same round, and each round's ratio to the ceiling.
   */
  private static void print(
      Map<String, List<Run>> runs, int events, int batch, int rounds, String durability) {
    List<Run> ceiling = runs.get(CEILING);
    List<Run> rowByRow = runs.get(ROW_BY_ROW);
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n%,d track events in loads of %,d; embedded PostgreSQL 17, fsync/synchronous_commit/"
                + "full_page_writes = %s; %d cores; medians of %d interleaved rounds%n%n",
            events,
            batch,
            durability,
            Runtime.getRuntime().availableProcessors(),
            rounds));
    out.append(
        "| what | rows | seconds | rows/s | events/s | vs ceiling | vs row-by-row"
            + " | vs ceiling, each round |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (List<Run> measured : runs.values()) {
      Run first = measured.get(0);
      List<Double> toCeiling = new ArrayList<>();
      List<Double> toRowByRow = new ArrayList<>();
      for (int i = 0; i < measured.size(); i++) {
        toCeiling.add(measured.get(i).rowsPerSecond() / ceiling.get(i).rowsPerSecond());
        if (rowByRow != null) {
          toRowByRow.add(measured.get(i).rowsPerSecond() / rowByRow.get(i).rowsPerSecond());
        }
      }
      double seconds = median(measured.stream().map(Run::seconds).toList());
      StringBuilder each = new StringBuilder();
      for (double r : toCeiling) {
        each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", r));
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.2f | %,.0f | %s | %.2f | %s | %s |%n",
              first.what(),
              first.rows(),
              seconds,
              median(measured.stream().map(Run::rowsPerSecond).toList()),
              first.events() == 0
                  ? ""
                  : String.format(Locale.ROOT, "%,.0f", first.events() / seconds),
              median(toCeiling),
              toRowByRow.isEmpty() ? "" : String.format(Locale.ROOT, "%.1f", median(toRowByRow)),
              each));
    }
    System.out.print(out);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
