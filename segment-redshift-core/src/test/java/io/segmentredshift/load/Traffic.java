package io.segmentredshift.load;

import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.testkit.SegmentTraffic;
import java.util.ArrayList;
import java.util.List;

/** The testkit's generated Segment traffic, parsed as the receiver parses it. */
final class Traffic {
  private static final EventParser PARSER = EventParser.create();

  private Traffic() {}

  /** {@code n} events of the realistic mix from {@code seed}. */
  static List<Event> events(long seed, int n) {
    SegmentTraffic traffic = SegmentTraffic.seeded(seed);
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(PARSER.parseEvent(traffic.next()));
    }
    return out;
  }
}
