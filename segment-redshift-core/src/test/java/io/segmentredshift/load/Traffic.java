package io.segmentredshift.load;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.testkit.SegmentTraffic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The testkit's generated Segment traffic as events. */
final class Traffic {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Traffic() {}

  /** {@code n} events of the realistic mix from {@code seed}. */
  static List<Event> events(long seed, int n) {
    SegmentTraffic traffic = SegmentTraffic.seeded(seed);
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(event(traffic.next()));
    }
    return out;
  }

  /** {@code n} events of one kind from {@code seed}. */
  static List<Event> events(long seed, int n, SegmentTraffic.Kind kind) {
    SegmentTraffic traffic = SegmentTraffic.seeded(seed);
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(event(traffic.next(kind)));
    }
    return out;
  }

  /** One message of the generator (single-line JSON) as an event. */
  static Event event(byte[] json) {
    Map<String, Object> m;
    try {
      m = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Event.builder(EventType.valueOf(((String) m.get("type")).toUpperCase(Locale.ROOT)))
        .messageId((String) m.get("messageId"))
        .anonymousId((String) m.get("anonymousId"))
        .userId((String) m.get("userId"))
        .event((String) m.get("event"))
        .name((String) m.get("name"))
        .category((String) m.get("category"))
        .groupId((String) m.get("groupId"))
        .previousId((String) m.get("previousId"))
        .timestamp(instant(m.get("timestamp")))
        .originalTimestamp(instant(m.get("originalTimestamp")))
        .sentAt(instant(m.get("sentAt")))
        .receivedAt(instant(m.get("receivedAt")))
        .traits(map(m.get("traits")))
        .properties(map(m.get("properties")))
        .context(map(m.get("context")))
        .build();
  }

  private static Instant instant(Object v) {
    return v == null ? null : Instant.parse((String) v);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> map(Object v) {
    return (Map<String, ?>) v;
  }
}
