package io.segmentredshift.schema;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only: the sample messages of src/test/resources/samples as Events, built with the builder
 * (the real parser lives in the event package). A batch's top-level context is merged into each
 * item; a message without a messageId gets {@code sample-<file>-<n>}, as a receiver assigns one.
 */
final class Samples {
  static final List<String> FILES =
      List.of(
          "identify.json",
          "track.json",
          "page.json",
          "screen.json",
          "group.json",
          "alias.json",
          "batch.json");

  private static final ObjectMapper JSON = new ObjectMapper();

  private Samples() {}

  static List<Event> load(String file) {
    try (InputStream in = Samples.class.getResourceAsStream("/samples/" + file)) {
      Map<String, Object> root = JSON.readValue(in, new TypeReference<Map<String, Object>>() {});
      List<Map<String, Object>> messages = new ArrayList<>();
      if (root.get("batch") instanceof List<?> batch) {
        for (Object item : batch) {
          Map<String, Object> m = map(item);
          if (root.get("context") instanceof Map<?, ?> shared) {
            Map<String, Object> context = new LinkedHashMap<>(map(shared));
            if (m.get("context") instanceof Map<?, ?> own) {
              context.putAll(map(own));
            }
            m.put("context", context);
          }
          messages.add(m);
        }
      } else {
        messages.add(root);
      }
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        events.add(event(messages.get(i), "sample-" + file.replace(".json", "") + "-" + (i + 1)));
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Event event(Map<String, Object> m, String defaultId) {
    EventType type = EventType.fromWireName((String) m.get("type")).orElseThrow();
    Map<String, Object> extras = new LinkedHashMap<>(m);
    for (String known :
        List.of(
            "type",
            "messageId",
            "anonymousId",
            "userId",
            "timestamp",
            "originalTimestamp",
            "sentAt",
            "receivedAt",
            "event",
            "name",
            "category",
            "groupId",
            "previousId",
            "traits",
            "properties",
            "context",
            "integrations",
            "version",
            "channel",
            "writeKey")) {
      extras.remove(known);
    }
    return Event.builder(type)
        .messageId(m.containsKey("messageId") ? (String) m.get("messageId") : defaultId)
        .anonymousId((String) m.get("anonymousId"))
        .userId((String) m.get("userId"))
        .timestamp(instant(m.get("timestamp")))
        .originalTimestamp(instant(m.get("originalTimestamp")))
        .sentAt(instant(m.get("sentAt")))
        .receivedAt(instant(m.get("receivedAt")))
        .event((String) m.get("event"))
        .name((String) m.get("name"))
        .category((String) m.get("category"))
        .groupId((String) m.get("groupId"))
        .previousId((String) m.get("previousId"))
        .traits(m.get("traits") == null ? null : map(m.get("traits")))
        .properties(m.get("properties") == null ? null : map(m.get("properties")))
        .context(m.get("context") == null ? null : map(m.get("context")))
        .integrations(m.get("integrations") == null ? null : map(m.get("integrations")))
        .version(m.get("version"))
        .channel((String) m.get("channel"))
        .writeKey((String) m.get("writeKey"))
        .extras(extras)
        .build();
  }

  private static Instant instant(Object value) {
    return value == null ? null : Instant.parse((String) value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return new LinkedHashMap<>((Map<String, Object>) value);
  }
}
