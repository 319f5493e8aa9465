package io.segmentredshift.benchmarks.jmh;

import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.testkit.SegmentTraffic;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages the micro benchmarks work on: the seeded generator's realistic mix (all six call
 * types, nested context, 10 to 40 properties per track event, type drift), so that their figures
 * are per realistic event.
 */
final class Messages {
  /** Distinct messages a benchmark cycles through, so branch predictors cannot learn one. */
  static final int COUNT = 2_000;

  /** Messages per batch body, as in the ingest benchmark. */
  static final int BATCH = 100;

  private Messages() {}

  /** {@link #COUNT} single messages, each a webhook body. */
  static byte[][] singles(long seed) {
    SegmentTraffic traffic = SegmentTraffic.seeded(seed);
    byte[][] out = new byte[COUNT][];
    for (int i = 0; i < COUNT; i++) {
      out[i] = traffic.next();
    }
    return out;
  }

  /** {@code count} bodies of {@link #BATCH} messages, {@code {"batch":[...]}}. */
  static byte[][] batches(long seed, int count) {
    SegmentTraffic traffic = SegmentTraffic.seeded(seed);
    byte[][] out = new byte[count][];
    for (int b = 0; b < count; b++) {
      ByteArrayOutputStream body = new ByteArrayOutputStream(BATCH * 1200);
      body.writeBytes("{\"batch\":[".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < BATCH; i++) {
        if (i > 0) {
          body.write(',');
        }
        body.writeBytes(traffic.next());
      }
      body.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
      out[b] = body.toByteArray();
    }
    return out;
  }

  /** The messages parsed as the receiver parses them. */
  static List<Event> events(byte[][] messages) {
    EventParser parser = EventParser.create();
    List<Event> out = new ArrayList<>(messages.length);
    for (byte[] m : messages) {
      out.add(parser.parseEvent(m));
    }
    return out;
  }
}
