package io.segmentredshift.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SegmentTrafficTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void producesTheSameBytesForTheSameSeed() {
    SegmentTraffic a = SegmentTraffic.seeded(7);
    SegmentTraffic b = SegmentTraffic.seeded(7);
    for (int i = 0; i < 2_000; i++) {
      assertArrayEquals(a.next(), b.next());
    }
  }

  @Test
  void producesARealisticMixOfValidMessages() throws IOException {
    SegmentTraffic traffic = SegmentTraffic.seeded(42);
    Map<String, Integer> types = new HashMap<>();
    Set<String> ids = new HashSet<>();
    Set<String> events = new HashSet<>();
    int duplicates = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      JsonNode message = MAPPER.readTree(traffic.next());
      String type = message.get("type").asText();
      types.merge(type, 1, Integer::sum);
      if (!ids.add(message.get("messageId").asText())) {
        duplicates++;
      }
      assertTrue(message.has("userId") || message.has("anonymousId"));
      assertTrue(message.get("context").get("library").has("name"));
      if (type.equals("track")) {
        events.add(message.get("event").asText());
        int properties = message.get("properties").size();
        assertTrue(properties >= 10 && properties <= 40, "properties: " + properties);
      }
    }
    assertEquals(6, types.size(), types.toString());
    assertTrue(types.get("track") > n / 2, types.toString());
    assertTrue(events.size() >= 45 && events.size() <= 55, "event names: " + events.size());
    assertTrue(duplicates > n / 200 && duplicates < n / 50, "duplicates: " + duplicates);
  }
}
