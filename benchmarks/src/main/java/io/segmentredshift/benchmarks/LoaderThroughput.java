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
 * {@code -Dbench.insertRows=2000} rows in the row-by-row sample, {@code
 * -Dbench.only=ceiling,passes,pgcopy,insert,s3copy,rowbyrow} to run some of the measurements only
 * (the ceiling always runs: every ratio needs it), {@code
 * -Dbench.dir=benchmarks/target/loader-throughput} for the database files (on the disk to measure,
 * not a tmpfs).
 */
public final class LoaderThroughput {
  private static final Instant LOADED = Instant.parse("2024-03-06T00:00:00Z");
  private static final int SAMPLE_LIMIT = 100_000;

  private LoaderThroughput() {}

  /** One measured run. */
  private record Run(String what, long events, long rows, double seconds) {
    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  /** Runs the measurement and prints the table. */
  public static void main(String[] args) throws Exception {
    int eventCount = Integer.getInteger("bench.events", 100_000);
    int batch = Integer.getInteger("bench.batch", 10_000);
    int sample = Integer.getInteger("bench.insertRows", 2_000);
    Set<String> only =
        Set.of(
            System.getProperty("bench.only", "ceiling,passes,pgcopy,insert,s3copy,rowbyrow")
                .split(","));
    Path dir =
        Path.of(System.getProperty("bench.dir", "benchmarks/target/loader-throughput"))
            .toAbsolutePath();
    List<Event> events = trackEvents(1, eventCount);
    List<Event> warmup = trackEvents(2, Math.min(eventCount, 10_000));
    List<Run> runs = new ArrayList<>();
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

      List<LoadRow> shaped = new ArrayList<>();
      runs.add(ceiling(postgres, events, batch, shaped));
      if (only.contains("rowbyrow")) {
        runs.add(rowByRow(postgres, shaped.subList(0, Math.min(sample, shaped.size()))));
      }
      shaped.clear();
      if (only.contains("passes")) {
        runs.add(passesOnly(postgres, events, batch));
      }
      if (only.contains("pgcopy")) {
        runs.add(
            whole(
                "PostgresCopyLoader (COPY FROM STDIN)",
                postgres,
                Dialect.postgres(),
                new PostgresCopyLoader(),
                "pgcopy",
                warmup,
                events,
                batch));
      }
      if (only.contains("insert")) {
        runs.add(
            whole(
                "PreparedInsertLoader (multi-row INSERT)",
                postgres,
                Dialect.postgres(),
                new PreparedInsertLoader(),
                "insert",
                warmup,
                events,
                batch));
      }
      if (only.contains("s3copy")) {
        runs.add(
            whole(
                "S3CopyLoader via the Redshift emulation",
                emulated,
                Dialect.redshift(),
                s3Copy,
                "s3copy",
                warmup,
                events,
                batch));
      }
    }
    print(runs, eventCount, batch, durability);
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

  /** The whole path through one loader, after a warm-up load into another schema. */
  private static Run whole(
      String what,
      DataSource ds,
      Dialect dialect,
      Loader loader,
      String schema,
      List<Event> warmup,
      List<Event> events,
      int batch) {
    try (SegmentRedshift warm =
        SegmentRedshift.builder(ds)
            .dialect(dialect)
            .schema(schema + "_warmup")
            .loader(loader)
            .build()) {
      for (int i = 0; i < warmup.size(); i += batch) {
        warm.load(warmup.subList(i, Math.min(warmup.size(), i + batch)));
      }
    }
    long rows = 0;
    long start = System.nanoTime();
    try (SegmentRedshift segment =
        SegmentRedshift.builder(ds)
            .dialect(dialect)
            .schema(schema)
            .loader(loader)
            .name(schema)
            .build()) {
      for (int i = 0; i < events.size(); i += batch) {
        LoadResult r = segment.load(events.subList(i, Math.min(events.size(), i + batch)));
        rows += r.totalRows();
      }
    }
    return new Run(what, events.size(), rows, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Pass 1 and pass 2 alone (layout, type coercion, discard rows) against an evolved schema: the
   * CPU part of the path, no database work.
   */
  private static Run passesOnly(DataSource ds, List<Event> events, int batch) {
    Dialect dialect = Dialect.postgres();
    SchemaEvolver evolver = new SchemaEvolver(ds, dialect, "passes");
    WarehouseLayout layout = new WarehouseLayout(dialect);
    BatchSchema all = new BatchSchema(dialect);
    for (Event e : events) {
      all.add(layout.rows(e, LOADED));
    }
    ResolvedSchema resolved = evolver.evolve(all);
    long rows = 0;
    long start = System.nanoTime();
    for (int i = 0; i < events.size(); i += batch) {
      List<Event> part = events.subList(i, Math.min(events.size(), i + batch));
      BatchSchema needs = new BatchSchema(dialect);
      for (Event e : part) {
        needs.add(layout.rows(e, LOADED));
      }
      for (Event e : part) {
        rows += resolved.rows(layout.rows(e, LOADED)).size();
      }
    }
    return new Run(
        "passes 1 and 2 only (no database)",
        events.size(),
        rows,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * The ceiling: the rows the library would load, shaped as CSV beforehand (not timed), COPYed with
   * {@code CopyManager.copyIn} into plain tables of the same columns (no key, no index), one COPY
   * per table and batch, each committed.
   */
  private static Run ceiling(DataSource ds, List<Event> events, int batch, List<LoadRow> shaped)
      throws SQLException, IOException {
    Dialect dialect = Dialect.postgres();
    SchemaEvolver evolver = new SchemaEvolver(ds, dialect, "shape");
    WarehouseLayout layout = new WarehouseLayout(dialect);
    Instant loadedAt = LOADED.truncatedTo(ChronoUnit.MICROS);
    List<Map<String, byte[]>> batches = new ArrayList<>();
    long rows = 0;
    for (int i = 0; i < events.size(); i += batch) {
      List<Event> part = events.subList(i, Math.min(events.size(), i + batch));
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
          if (shaped.size() < SAMPLE_LIMIT) {
            shaped.add(row);
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
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA ceiling");
      for (String table : batches.get(batches.size() - 1).keySet()) {
        st.execute("CREATE TABLE ceiling.\"" + table + "\" (LIKE shape.\"" + table + "\")");
      }
    }
    long start = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      PGConnection pg = c.unwrap(PGConnection.class);
      for (Map<String, byte[]> b : batches) {
        for (Map.Entry<String, byte[]> t : b.entrySet()) {
          pg.getCopyAPI()
              .copyIn(
                  "COPY ceiling.\"" + t.getKey() + "\" FROM STDIN (FORMAT csv)",
                  new ByteArrayInputStream(t.getValue()));
        }
      }
    }
    return new Run(
        "ceiling: CopyManager.copyIn of pre-shaped CSV",
        events.size(),
        rows,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * The approach to beat: the first shaped rows (the batch's own mix of tables), each one prepared
   * INSERT with autocommit on, so each a commit and a WAL flush, into plain tables like the
   * ceiling's.
   */
  private static Run rowByRow(DataSource ds, List<LoadRow> rows) throws SQLException {
    Map<String, TableSchema> tables = new LinkedHashMap<>();
    for (LoadRow row : rows) {
      tables.putIfAbsent(row.table().name(), row.table());
    }
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA rowbyrow");
      for (String table : tables.keySet()) {
        st.execute("CREATE TABLE rowbyrow.\"" + table + "\" (LIKE shape.\"" + table + "\")");
      }
    }
    long start = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      Map<String, PreparedStatement> inserts = new LinkedHashMap<>();
      try {
        for (TableSchema t : tables.values()) {
          String columns =
              String.join(", ", t.columns().stream().map(col -> "\"" + col.name() + "\"").toList());
          String marks = String.join(", ", Collections.nCopies(t.columns().size(), "?"));
          inserts.put(
              t.name(),
              c.prepareStatement(
                  "INSERT INTO rowbyrow.\""
                      + t.name()
                      + "\" ("
                      + columns
                      + ") VALUES ("
                      + marks
                      + ")"));
        }
        for (LoadRow row : rows) {
          PreparedStatement ps = inserts.get(row.table().name());
          for (int i = 0; i < row.size(); i++) {
            Object v = row.value(i);
            ps.setObject(
                i + 1, v instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : v);
          }
          ps.executeUpdate();
        }
      } finally {
        for (PreparedStatement ps : inserts.values()) {
          ps.close();
        }
      }
    }
    return new Run(
        "row-by-row: one prepared INSERT per autocommit (sample)",
        0,
        rows.size(),
        (System.nanoTime() - start) / 1e9);
  }

  private static void print(List<Run> runs, int events, int batch, String durability) {
    Run ceiling = runs.get(0);
    Run rowByRow = null;
    for (Run r : runs) {
      if (r.what().startsWith("row-by-row")) {
        rowByRow = r;
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%n%,d track events in loads of %,d; embedded PostgreSQL 17, fsync/synchronous_commit/"
                + "full_page_writes = %s; %d cores%n%n",
            events,
            batch,
            durability,
            Runtime.getRuntime().availableProcessors()));
    out.append("| what | rows | seconds | rows/s | events/s | vs ceiling | vs row-by-row |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Run r : runs) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.2f | %,.0f | %s | %.2f | %s |%n",
              r.what(),
              r.rows(),
              r.seconds(),
              r.rowsPerSecond(),
              r.events() == 0 ? "" : String.format(Locale.ROOT, "%,.0f", r.events() / r.seconds()),
              r.rowsPerSecond() / ceiling.rowsPerSecond(),
              rowByRow == null
                  ? ""
                  : String.format(
                      Locale.ROOT, "%.1f", r.rowsPerSecond() / rowByRow.rowsPerSecond())));
    }
    System.out.print(out);
  }
}
