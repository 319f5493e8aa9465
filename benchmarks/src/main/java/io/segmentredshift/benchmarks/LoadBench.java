package io.segmentredshift.benchmarks;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.benchmarks.harness.ChildJvm;
import io.segmentredshift.benchmarks.harness.Json;
import io.segmentredshift.benchmarks.harness.PostgresBaselines;
import io.segmentredshift.benchmarks.harness.PostgresCpu;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.load.CsvWriter;
import io.segmentredshift.load.LoadResult;
import io.segmentredshift.load.Loader;
import io.segmentredshift.load.copy.S3CopyLoader;
import io.segmentredshift.load.insert.PreparedInsertLoader;
import io.segmentredshift.load.pgcopy.PostgresCopyLoader;
import io.segmentredshift.schema.BatchSchema;
import io.segmentredshift.schema.Column;
import io.segmentredshift.schema.EventRows;
import io.segmentredshift.schema.LoadRow;
import io.segmentredshift.schema.ResolvedSchema;
import io.segmentredshift.schema.SchemaEvolver;
import io.segmentredshift.schema.TableSchema;
import io.segmentredshift.schema.WarehouseLayout;
import io.segmentredshift.testkit.RedshiftEmulation;
import io.segmentredshift.testkit.S3Server;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The load benchmark's measured JVM (issue 9, point 2), started by {@link LoadPart}: one run per
 * process, so that its heap, RSS and profile are its own. It answers one {@code result} line of
 * JSON ({@link ChildJvm#reply}).
 *
 * <ul>
 *   <li>{@code --mode loader --loader pgcopy|insert|s3copy}: the whole path, {@code
 *       SegmentRedshift.load} in batches (validation, layout, types, schema, staging, merge with
 *       dedup, commit) through that loader, after a warm-up into another schema. Only the load
 *       calls are timed; making and parsing the events in between is not.
 *   <li>{@code --mode ceiling}: the baselines on the same events: the library's own rows shaped
 *       beforehand as CSV files, one per table and column set (not timed, but its parts are
 *       reported), then loaded with pgjdbc's {@code CopyManager.copyIn} into plain tables of the
 *       same columns without keys (the ceiling); and the rows of the first {@code --naive-events}
 *       events inserted one prepared INSERT per autocommitted row (the approach to beat).
 * </ul>
 */
public final class LoadBench {
  private static final Instant LOADED_AT = Instant.parse("2024-03-06T00:00:00Z");
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private LoadBench() {}

  /** Runs one measurement and answers its figures. */
  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    DataSource postgres = Children.postgres(args.integer("pg-port"), args.text("database"));
    Map<String, Object> figures =
        switch (args.text("mode")) {
          case "loader" -> loader(args, postgres);
          case "ceiling" -> ceiling(args, postgres);
          default -> throw new IllegalArgumentException("--mode: " + args.text("mode"));
        };
    figures.put("durability", PostgresBaselines.durability(postgres));
    ChildJvm.reply("result", Json.write(figures));
  }

  private static Map<String, Object> loader(Args args, DataSource postgres)
      throws SQLException, IOException {
    String which = args.text("loader");
    int events = args.integer("events");
    int batch = args.integer("batch");
    String traffic = args.text("traffic", "track");
    DataSource warehouse = postgres;
    Dialect dialect = Dialect.postgres();
    Loader loader;
    switch (which) {
      case "pgcopy" -> loader = new PostgresCopyLoader();
      case "insert" -> loader = new PreparedInsertLoader();
      case "s3copy" -> {
        S3Client s3 =
            S3Client.builder()
                .endpointOverride(URI.create(args.text("s3-endpoint")))
                .forcePathStyle(true)
                .region(S3Server.REGION)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                .build();
        String bucket = args.text("bucket");
        s3.createBucket(b -> b.bucket(bucket));
        warehouse = RedshiftEmulation.builder(postgres, s3).build().dataSource();
        dialect = Dialect.redshift();
        loader =
            S3CopyLoader.builder(s3, bucket)
                .iamRole("arn:aws:iam::123456789012:role/benchmark")
                .build();
      }
      default -> throw new IllegalArgumentException("--loader: " + which);
    }

    int warmup = Math.min(args.integer("warmup-events", 20_000), events);
    try (SegmentRedshift warm =
        SegmentRedshift.builder(warehouse)
            .dialect(dialect)
            .schema("warmup")
            .loader(loader)
            .name("warmup")
            .build()) {
      Children.Traffic source = new Children.Traffic(traffic, args.number("seed") + 1000);
      for (int done = 0; done < warmup; done += batch) {
        warm.load(source.next(Math.min(batch, warmup - done)));
      }
    }

    System.gc();
    AtomicLong afterGc = Children.startMemoryWatch();
    PostgresCpu pg = PostgresCpu.of(postgres);
    Children.Traffic source = new Children.Traffic(traffic, args.number("seed"));
    long loadNanos = 0;
    long cpuNanos = 0;
    long pgNanos = 0;
    long rows = 0;
    long loads = 0;
    try (SegmentRedshift segment =
        SegmentRedshift.builder(warehouse)
            .dialect(dialect)
            .schema("bench")
            .loader(loader)
            .name("load-" + which)
            .build()) {
      for (int done = 0; done < events; done += batch) {
        List<Event> part = source.next(Math.min(batch, events - done));
        long pg0 = pg.cpuNanos();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        LoadResult r = segment.load(part);
        loadNanos += System.nanoTime() - t0;
        cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
        pgNanos += pg.cpuNanos() - pg0;
        rows += r.totalRows();
        loads++;
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("loader", which);
    out.put("events", events);
    out.put("rows", rows);
    out.put("loads", loads);
    out.put("seconds", loadNanos / 1e9);
    out.put("jvmCpuSeconds", cpuNanos / 1e9);
    out.put("pgCpuSeconds", pgNanos / 1e9);
    out.putAll(Children.memoryFigures(afterGc));
    return out;
  }

  /** A CSV file of one table and column set, and the rows written to it. */
  private static final class CsvFile {
    final TableSchema table;
    final Path path;
    final OutputStream out;
    final CsvWriter writer;

    CsvFile(TableSchema table, Path path) throws IOException {
      this.table = table;
      this.path = path;
      this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
      this.writer = new CsvWriter(out, "");
    }
  }

  private static Map<String, Object> ceiling(Args args, DataSource ds)
      throws SQLException, IOException {
    int events = args.integer("events");
    int batch = args.integer("batch");
    int naiveEvents = Math.min(args.integer("naive-events"), events);
    Path dir = Path.of(args.text("dir"));
    Files.createDirectories(dir);
    Dialect dialect = Dialect.postgres();
    SchemaEvolver evolver = new SchemaEvolver(ds, dialect, "shape");
    WarehouseLayout layout = new WarehouseLayout(dialect);
    Children.Traffic source =
        new Children.Traffic(args.text("traffic", "track"), args.number("seed"));

    Map<String, CsvFile> files = new LinkedHashMap<>();
    List<LoadRow> naive = new ArrayList<>();
    long layoutNanos = 0;
    long evolveNanos = 0;
    long csvNanos = 0;
    long shapedRows = 0;
    for (int done = 0; done < events; done += batch) {
      List<Event> part = source.next(Math.min(batch, events - done));
      long t0 = System.nanoTime();
      BatchSchema needs = new BatchSchema(dialect);
      for (Event e : part) {
        needs.add(layout.rows(e, LOADED_AT));
      }
      long t1 = System.nanoTime();
      ResolvedSchema resolved = evolver.evolve(needs);
      long t2 = System.nanoTime();
      // The rows of the first --naive-events events are kept for the row-by-row baseline.
      int sampled = done < naiveEvents ? Math.min(naiveEvents - done, part.size()) : 0;
      int sampleEnd = 0;
      List<LoadRow> rows = new ArrayList<>(part.size() * 2);
      for (int i = 0; i < part.size(); i++) {
        EventRows eventRows = layout.rows(part.get(i), LOADED_AT);
        rows.addAll(resolved.rows(eventRows));
        if (i + 1 == sampled) {
          sampleEnd = rows.size();
        }
      }
      long t3 = System.nanoTime();
      for (LoadRow row : rows) {
        String key = row.table().name() + "|" + columnNames(row.table());
        CsvFile file = files.get(key);
        if (file == null) {
          file = new CsvFile(row.table(), dir.resolve("ceiling-" + files.size() + ".csv"));
          files.put(key, file);
        }
        file.writer.write(row);
      }
      long t4 = System.nanoTime();
      layoutNanos += (t1 - t0) + (t3 - t2);
      evolveNanos += t2 - t1;
      csvNanos += t4 - t3;
      shapedRows += rows.size();
      naive.addAll(rows.subList(0, sampleEnd));
    }
    long csvBytes = 0;
    for (CsvFile f : files.values()) {
      f.writer.flush();
      f.out.close();
      csvBytes += Files.size(f.path);
    }

    List<String> tables =
        files.values().stream().map(f -> f.table.name()).distinct().sorted().toList();
    createLike(ds, "ceiling", tables);
    createLike(ds, "naive", tables);

    PostgresCpu pg = PostgresCpu.of(ds);
    long copied = 0;
    long pg0 = pg.cpuNanos();
    long start = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      for (CsvFile f : files.values()) {
        String sql =
            "COPY ceiling."
                + dialect.quote(f.table.name())
                + " ("
                + quotedColumns(dialect, f.table)
                + ") FROM STDIN (FORMAT csv)";
        copied += PostgresBaselines.copyIn(c, sql, f.path);
      }
    }
    double copySeconds = (System.nanoTime() - start) / 1e9;
    double copyPgSeconds = (pg.cpuNanos() - pg0) / 1e9;
    for (CsvFile f : files.values()) {
      Files.delete(f.path);
    }

    List<PostgresBaselines.Insert> inserts = new ArrayList<>(naive.size());
    for (LoadRow row : naive) {
      String sql =
          "INSERT INTO naive."
              + dialect.quote(row.table().name())
              + " ("
              + quotedColumns(dialect, row.table())
              + ") VALUES ("
              + row.table().columns().stream().map(x -> "?").collect(Collectors.joining(", "))
              + ")";
      Object[] values = new Object[row.size()];
      for (int i = 0; i < values.length; i++) {
        Object v = row.value(i);
        values[i] = v instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : v;
      }
      inserts.add(new PostgresBaselines.Insert(sql, values));
    }
    double naiveSeconds = PostgresBaselines.rowByRowInserts(ds, inserts).seconds();

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("events", events);
    out.put("rows", copied);
    out.put("shapedRows", shapedRows);
    out.put("tables", tables.size());
    out.put("csvFiles", files.size());
    out.put("csvBytes", csvBytes);
    out.put("seconds", copySeconds);
    out.put("pgCpuSeconds", copyPgSeconds);
    out.put("layoutSeconds", layoutNanos / 1e9);
    out.put("evolveSeconds", evolveNanos / 1e9);
    out.put("csvSeconds", csvNanos / 1e9);
    out.put("naiveEvents", naiveEvents);
    out.put("naiveRows", naive.size());
    out.put("naiveSeconds", naiveSeconds);
    return out;
  }

  private static void createLike(DataSource ds, String schema, List<String> tables)
      throws SQLException {
    Dialect d = Dialect.postgres();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      for (String t : tables) {
        st.execute(
            "CREATE TABLE " + schema + "." + d.quote(t) + " (LIKE shape." + d.quote(t) + ")");
      }
    }
  }

  private static String columnNames(TableSchema table) {
    return table.columns().stream().map(Column::name).collect(Collectors.joining(","));
  }

  private static String quotedColumns(Dialect d, TableSchema table) {
    return table.columns().stream().map(c -> d.quote(c.name())).collect(Collectors.joining(", "));
  }
}
