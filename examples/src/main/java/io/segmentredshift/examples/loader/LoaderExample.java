package io.segmentredshift.examples.loader;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.event.EventType;
import io.segmentredshift.event.MalformedEventException;
import io.segmentredshift.event.NdjsonReader;
import io.segmentredshift.event.ParseResult;
import io.segmentredshift.load.LoadResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The loader API in a few lines: events made in code, or read from an export of Segment messages
 * (newline-delimited JSON, plain or gzip, one message per line, as Segment's S3 archive holds),
 * loaded with {@link SegmentRedshift#load} into the warehouse, synchronously, one batch at a time.
 * No HTTP and no spool: when {@code load} returns the batch is committed; loading the same events
 * again adds nothing.
 *
 * <pre>
 * JDBC_URL=jdbc:postgresql://localhost:5432/postgres?user=postgres java ... LoaderExample [FILE.ndjson[.gz] ...]
 * </pre>
 *
 * Without files it loads two events made in code.
 */
public final class LoaderExample {
  /** Events per {@code load} call: one transaction each. */
  static final int BATCH = 1000;

  private LoaderExample() {}

  /**
   * Loads the files named, or two sample events, and prints what each batch did.
   *
   * @param args NDJSON files to load
   * @throws IOException when a file cannot be read
   */
  public static void main(String[] args) throws IOException {
    PGSimpleDataSource warehouse = new PGSimpleDataSource();
    warehouse.setURL(
        System.getenv()
            .getOrDefault("JDBC_URL", "jdbc:postgresql://localhost:5432/postgres?user=postgres"));

    try (SegmentRedshift segment = SegmentRedshift.builder(warehouse).schema("imported").build()) {
      if (args.length == 0) {
        print(segment.load(sampleEvents()));
      }
      for (String file : args) {
        loadFile(segment, Path.of(file)).forEach(LoaderExample::print);
      }
    }
  }

  /** Two events as an application might make them: a purchase and the buyer's traits. */
  public static List<Event> sampleEvents() {
    Instant at = Instant.parse("2024-03-05T10:11:12Z");
    Event order =
        Event.builder(EventType.TRACK)
            .messageId("order-1001") // the dedup key: the same id is loaded once
            .userId("u-42")
            .event("Order Completed") // the table order_completed
            .properties(Map.of("order_id", "1001", "total", 27.5, "coupon", "SPRING"))
            .timestamp(at)
            .build();
    Event traits =
        Event.builder(EventType.IDENTIFY)
            .messageId("identify-u-42")
            .userId("u-42")
            .traits(Map.of("email", "ada@example.com", "plan", "pro"))
            .timestamp(at)
            .build();
    return List.of(order, traits);
  }

  /**
   * Loads a file of newline-delimited Segment messages in batches of {@value #BATCH}. A line that
   * is not a valid message is reported with its number and skipped.
   *
   * @param segment where to load
   * @param file the file, plain or gzip
   * @return what each batch did
   * @throws IOException when the file cannot be read
   */
  public static List<LoadResult> loadFile(SegmentRedshift segment, Path file) throws IOException {
    List<LoadResult> results = new ArrayList<>();
    EventParser parser = EventParser.create(); // Segment's limits: 32 KB per message
    try (InputStream in = Files.newInputStream(file);
        NdjsonReader reader = parser.ndjson(in)) {
      for (ParseResult r = reader.read(BATCH);
          !r.events().isEmpty() || !r.rejected().isEmpty();
          r = reader.read(BATCH)) {
        for (MalformedEventException e : r.rejected()) {
          System.out.println(file + " line " + e.line() + " skipped: " + e.getMessage());
        }
        if (!r.events().isEmpty()) {
          results.add(segment.load(r.events()));
        }
      }
    }
    return results;
  }

  /** One line per batch: its id, the rows each table got, the discards and the time. */
  static void print(LoadResult r) {
    System.out.println(
        "batch "
            + r.batchId()
            + ": "
            + r.eventCount()
            + " events, rows "
            + new TreeMap<>(r.rows())
            + ", "
            + r.discards()
            + " discards, "
            + r.rejectedEvents().size()
            + " rejected, "
            + r.duration().toMillis()
            + " ms ("
            + r.loader()
            + ")");
  }
}
