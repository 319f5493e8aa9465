package io.segmentredshift.event;

import static io.segmentredshift.event.Fixtures.NOW;
import static io.segmentredshift.event.Fixtures.parser;
import static io.segmentredshift.event.Fixtures.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplesTest {
  private final EventParser parser = parser();

  @Test
  void identifyFromSegmentWebhookDocsParsesWithDerivedIdAndReceiptTime() {
    Event e = parser.parseEvent(sample("identify.json"));
    assertEquals(EventType.IDENTIFY, e.type());
    assertEquals("019mr8mf4r", e.userId());
    assertEquals(1L, e.version());
    assertEquals(
        Map.of(
            "email", "achilles@segment.com",
            "name", "Achilles",
            "subscriptionPlan", "Premium",
            "friendCount", 29L),
        e.traits());
    assertEquals(
        List.of("email", "name", "subscriptionPlan", "friendCount"),
        List.copyOf(e.traits().keySet()));
    assertEquals(Instant.parse("2012-12-02T00:30:08.276Z"), e.timestamp());
    assertEquals(NOW, e.receivedAt());
    assertNull(e.originalTimestamp());
    assertTrue(e.messageId().startsWith("sr-"), e.messageId());
    assertEquals(67, e.messageId().length());
  }

  @Test
  void trackKeepsNestedPropertiesArraysNullsAndAllFourTimestamps() {
    Event e = parser.parseEvent(sample("track.json"));
    assertEquals(EventType.TRACK, e.type());
    assertEquals("ajs-f8ca1e4de5024d9430b3928bd8ac6b96", e.messageId());
    assertEquals("Order Completed", e.event());
    assertEquals(27.5, e.properties().get("total"));
    assertEquals(25L, e.properties().get("revenue"));
    assertTrue(e.properties().containsKey("coupon"));
    assertNull(e.properties().get("coupon"));
    List<?> products = (List<?>) e.properties().get("products");
    assertEquals(2, products.size());
    assertEquals(18.99, ((Map<?, ?>) products.get(1)).get("price"));
    assertEquals(Map.of("method", "ground", "cost", 3L), e.properties().get("shipping"));
    assertEquals("8.8.8.8", e.context().get("ip"));
    assertEquals(Instant.parse("2024-03-05T10:11:12.123Z"), e.timestamp());
    assertEquals(Instant.parse("2024-03-05T10:11:12.200Z"), e.sentAt());
    assertEquals(Instant.parse("2024-03-05T10:11:13.001Z"), e.receivedAt());
    assertEquals(Instant.parse("2024-03-05T10:11:12.100Z"), e.originalTimestamp());
    assertEquals(2L, e.version());
  }

  @Test
  void pageScreenGroupAliasParseWithTheirOwnFields() {
    Event page = parser.parseEvent(sample("page.json"));
    assertEquals(EventType.PAGE, page.type());
    assertEquals("Home", page.name());
    assertEquals("Landing", page.category());
    assertEquals("/", page.properties().get("path"));

    Event screen = parser.parseEvent(sample("screen.json"));
    assertEquals(EventType.SCREEN, screen.type());
    assertEquals("Settings", screen.name());
    assertEquals(Map.of("name", "iOS", "version", "17.2"), screen.context().get("os"));

    Event group = parser.parseEvent(sample("group.json"));
    assertEquals(EventType.GROUP, group.type());
    assertEquals("0e8c78ea9d97a7b8185e8632", group.groupId());
    assertEquals(830L, group.traits().get("total billed"));

    Event alias = parser.parseEvent(sample("alias.json"));
    assertEquals(EventType.ALIAS, alias.type());
    assertEquals("507f191e810c19729de860ea", alias.previousId());
    assertEquals("97980cfea0067", alias.userId());
  }

  @Test
  void everySingleSampleAlsoParsesAsAWebhookBodyAndAsAnArrayItem() {
    for (String name :
        Arrays.asList(
            "identify.json",
            "track.json",
            "page.json",
            "screen.json",
            "group.json",
            "alias.json")) {
      Event single = parser.parseEvent(sample(name));
      assertEquals(List.of(single), parser.parseWebhook(sample(name)).events(), name);
      byte[] body = sample(name);
      byte[] array = new byte[body.length + 2];
      array[0] = '[';
      System.arraycopy(body, 0, array, 1, body.length);
      array[array.length - 1] = ']';
      ParseResult r = parser.parseWebhook(array);
      assertEquals(List.of(single), r.events(), name);
      assertEquals(List.of(), r.rejected(), name);
    }
  }

  @Test
  void batchSampleMergesItsContextIntoAllThreeItems() {
    ParseResult r = parser.parseBatch(sample("batch.json"));
    assertEquals(List.of(), r.rejected());
    assertEquals(3, r.events().size());
    assertEquals("example-write-key", r.writeKey());
    Map<String, Object> library = Map.of("name", "analytics-java", "version", "3.5.1");
    for (Event e : r.events()) {
      assertEquals(Map.of("library", library), e.context(), e.messageId());
      assertEquals(NOW, e.receivedAt());
      assertNull(e.writeKey());
    }
    Event identify = r.events().get(0);
    assertEquals("b-1", identify.messageId());
    assertEquals(Map.of("email", "a@example.com", "plan", "free"), identify.traits());
    // Tracking API: the client's timestamp is the original one; without sentAt it is kept.
    assertEquals(Instant.parse("2024-03-05T09:00:00Z"), identify.originalTimestamp());
    assertEquals(Instant.parse("2024-03-05T09:00:00Z"), identify.timestamp());
    Event track = r.events().get(1);
    assertEquals("Signed Up", track.event());
    assertEquals(14L, track.properties().get("trialDays"));
    Event page = r.events().get(2);
    assertEquals("anon-9", page.anonymousId());
    assertNull(page.originalTimestamp());
    assertEquals(NOW, page.timestamp());
  }
}
