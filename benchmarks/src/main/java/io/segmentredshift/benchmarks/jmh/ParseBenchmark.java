package io.segmentredshift.benchmarks.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventJson;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.event.ParseResult;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing, the first thing the receiver does with every request, and decoding, the first thing the
 * flusher does with every spooled record; one thread, so the scores are events per second per core.
 * The baseline is Jackson's streaming parser walking every token of the same bytes: the least any
 * parser of these messages must do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBenchmark {
  private static final JsonFactory JSON = new JsonFactory();

  private final EventParser parser = EventParser.create();
  private byte[][] singles;
  private byte[][] batches;
  private byte[][] records;
  private int next;

  /** The messages, the batch bodies and the spool records (canonical JSON) of the messages. */
  @Setup
  public void setUp() {
    singles = Messages.singles(11);
    batches = Messages.batches(12, 20);
    List<Event> events = Messages.events(singles);
    records = new byte[events.size()][];
    for (int i = 0; i < records.length; i++) {
      records[i] = EventJson.write(events.get(i));
    }
  }

  /** {@code EventParser.parseWebhook}: one signed webhook body of one message. */
  @Benchmark
  public ParseResult parseWebhook() {
    return parser.parseWebhook(singles[next++ % singles.length]);
  }

  /** {@code EventParser.parseBatch}: a {@code /v1/batch} body of 100 messages. */
  @Benchmark
  @OperationsPerInvocation(Messages.BATCH)
  public ParseResult parseBatch() {
    return parser.parseBatch(batches[next++ % batches.length]);
  }

  /** {@code EventJson.read}: a spool record's canonical JSON back to an event (the flusher). */
  @Benchmark
  public Event eventJsonRead() {
    return EventJson.read(records[next++ % records.length]);
  }

  /** Baseline: Jackson's streaming parser over every token of a webhook body, nothing built. */
  @Benchmark
  public int jacksonTokens() throws IOException {
    int tokens = 0;
    try (JsonParser p = JSON.createParser(singles[next++ % singles.length])) {
      while (p.nextToken() != null) {
        tokens++;
      }
    }
    return tokens;
  }
}
