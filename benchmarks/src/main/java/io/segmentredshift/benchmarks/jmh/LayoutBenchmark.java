package io.segmentredshift.benchmarks.jmh;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.load.CsvWriter;
import io.segmentredshift.schema.BatchSchema;
import io.segmentredshift.schema.EventRows;
import io.segmentredshift.schema.LoadRow;
import io.segmentredshift.schema.ResolvedSchema;
import io.segmentredshift.schema.SchemaEvolver;
import io.segmentredshift.schema.WarehouseLayout;
import io.segmentredshift.testkit.PostgresServer;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU part of a load, per event of the realistic mix: flattening into Segment's layout ({@code
 * WarehouseLayout.rows}, pass 1), the same plus coercion of every value to its column's type
 * ({@code ResolvedSchema.rows}, pass 2, the public entry point of the type mapping), and CSV
 * encoding of the resulting rows ({@code CsvWriter}, the COPY loaders' format). The schema is
 * evolved once at setup on an embedded PostgreSQL that is stopped before measuring; nothing here
 * touches a database.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LayoutBenchmark {
  private static final Instant LOADED_AT = Instant.parse("2024-03-06T00:00:00Z");

  private final WarehouseLayout layout = new WarehouseLayout(Dialect.postgres());
  private List<Event> events;
  private ResolvedSchema resolved;
  private LoadRow[][] rows;
  private CsvWriter csv;
  private int next;

  /** The events, the schema they need, and each event's rows. */
  @Setup(Level.Trial)
  public void setUp() {
    events = Messages.events(Messages.singles(31));
    BatchSchema needs = new BatchSchema(Dialect.postgres());
    for (Event e : events) {
      needs.add(layout.rows(e, LOADED_AT));
    }
    try (PostgresServer pg = PostgresServer.start(null, false)) {
      SchemaEvolver evolver =
          new SchemaEvolver(pg.dataSource(pg.createDatabase("layout")), Dialect.postgres(), "jmh");
      resolved = evolver.evolve(needs);
    }
    rows = new LoadRow[events.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = resolved.rows(layout.rows(events.get(i), LOADED_AT)).toArray(LoadRow[]::new);
    }
    csv = new CsvWriter(OutputStream.nullOutputStream(), "");
  }

  /** Writes out what the CSV writer buffered. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    csv.flush();
  }

  /** Pass 1: an event's rows in Segment's layout (flattened, named), not yet typed. */
  @Benchmark
  public EventRows layout() {
    return layout.rows(events.get(next++ % events.size()), LOADED_AT);
  }

  /** Passes 1 and 2: the rows with every value coerced to its column's type, plus discards. */
  @Benchmark
  public List<LoadRow> layoutAndCoerce() {
    return resolved.rows(layout.rows(events.get(next++ % events.size()), LOADED_AT));
  }

  /** CSV encoding of an event's rows, as the COPY loaders write them. */
  @Benchmark
  public long csv() throws IOException {
    for (LoadRow row : rows[next++ % rows.length]) {
      csv.write(row);
    }
    return csv.bytes();
  }
}
