package io.segmentredshift.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.typemap.DiscardReason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WarehouseLayoutTest {
  private static final Instant LOADED = Instant.parse("2024-03-06T00:00:00Z");
  private static final WarehouseLayout LAYOUT = new WarehouseLayout(Dialect.redshift());

  private static Map<String, Object> values(TableRow row) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Field f : row.fields()) {
      m.put(f.name(), f.value());
    }
    return m;
  }

  @Test
  void aTrackWritesTracksWithCommonColumnsAndItsOwnTableWithProperties() {
    EventRows rows = LAYOUT.rows(Samples.load("track.json").get(0), LOADED);
    assertEquals(
        List.of("tracks", "order_completed"), rows.rows().stream().map(TableRow::table).toList());
    Map<String, Object> tracks = values(rows.rows().get(0));
    assertEquals("ajs-f8ca1e4de5024d9430b3928bd8ac6b96", tracks.get("id"));
    assertEquals("order_completed", tracks.get("event"));
    assertEquals("Order Completed", tracks.get("event_text"));
    assertEquals("8.8.8.8", tracks.get("context_ip"));
    assertEquals("analytics.js", tracks.get("context_library_name"));
    assertEquals(
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_1)", tracks.get("context_user_agent"));
    assertEquals(LOADED, tracks.get("uuid_ts"));
    assertFalse(tracks.containsKey("total"), "tracks has no properties");
    Map<String, Object> event = values(rows.rows().get(1));
    assertEquals(27.5, event.get("total"));
    assertEquals(25L, event.get("revenue"));
    assertEquals("50314b8e9bcf000000000000", event.get("order_id"));
    assertEquals("ground", event.get("shipping_method"));
    assertEquals(3L, event.get("shipping_cost"));
    assertFalse(event.containsKey("coupon"), "a null gives no value");
    assertEquals(
        "[{\"product_id\":\"507f1f77bcf86cd799439011\",\"sku\":\"45790-32\",\"price\":19,\"quantity\":1},"
            + "{\"product_id\":\"505bd76785ebb509fc183733\",\"sku\":\"46493-32\",\"price\":18.99,\"quantity\":2}]",
        event.get("products"));
    assertTrue(rows.discards().isEmpty());
  }

  @Test
  void sourcePathsAreJsonPointers() {
    EventRows rows = LAYOUT.rows(Samples.load("track.json").get(0), LOADED);
    Map<String, String> paths =
        rows.rows().get(1).fields().stream().collect(Collectors.toMap(Field::name, Field::path));
    assertEquals("/properties/shipping/method", paths.get("shipping_method"));
    assertEquals("/context/library/version", paths.get("context_library_version"));
    assertEquals("/messageId", paths.get("id"));
  }

  @Test
  void identifyTraitsHaveNoPrefixAndTopLevelExtrasAreNotLoaded() {
    Event identify = Samples.load("identify.json").get(0);
    EventRows rows = LAYOUT.rows(identify, LOADED);
    assertEquals(1, rows.rows().size());
    Map<String, Object> v = values(rows.rows().get(0));
    assertEquals("Premium", v.get("subscription_plan"));
    assertEquals(29L, v.get("friend_count"));
    assertEquals(LOADED, v.get("received_at"), "no receivedAt: the load time");
    assertFalse(v.containsKey("version"));
  }

  @Test
  void groupTraitsWithSpacesBecomeSnakeCase() {
    Map<String, Object> v =
        values(LAYOUT.rows(Samples.load("group.json").get(0), LOADED).rows().get(0));
    assertEquals(830L, v.get("total_billed"));
    assertEquals("0e8c78ea9d97a7b8185e8632", v.get("group_id"));
  }

  @Test
  void aPropertyThatWouldOverwriteAStandardColumnIsDiscardedUnlessEqual() {
    Event page =
        Event.builder(EventType.PAGE)
            .messageId("m1")
            .name("Home")
            .properties(
                Map.of(
                    "name", "Home",
                    "userId", "someone-else",
                    "timestamp", "2020-01-01T00:00:00Z",
                    "contextIp", "1.2.3.4",
                    "title", "Welcome"))
            .build();
    EventRows rows = LAYOUT.rows(page, LOADED);
    Map<String, Object> v = values(rows.rows().get(0));
    assertEquals("Home", v.get("name"));
    assertEquals("Welcome", v.get("title"));
    assertNull(v.get("user_id"));
    Map<String, DiscardReason> discarded =
        rows.discards().stream().collect(Collectors.toMap(Discard::path, Discard::reason));
    assertEquals(
        Map.of(
            "/properties/userId", DiscardReason.STANDARD_COLUMN,
            "/properties/timestamp", DiscardReason.STANDARD_COLUMN,
            "/properties/contextIp", DiscardReason.STANDARD_COLUMN),
        discarded);
    Discard userId =
        rows.discards().stream()
            .filter(d -> d.path().equals("/properties/userId"))
            .findFirst()
            .orElseThrow();
    assertEquals("pages", userId.table());
    assertEquals("user_id", userId.column());
    assertEquals("someone-else", userId.value());
    assertEquals("m1", userId.rowId());
  }

  @Test
  void namesThatSanitizeToNothingAreDiscarded() {
    Event track =
        Event.builder(EventType.TRACK)
            .messageId("m2")
            .event("Clicked")
            .properties(Map.of("日本語", "x", "ok", 1L))
            .build();
    EventRows rows = LAYOUT.rows(track, LOADED);
    assertEquals(1, rows.discards().size());
    assertEquals(DiscardReason.EMPTY_NAME, rows.discards().get(0).reason());
    assertEquals("/properties/日本語", rows.discards().get(0).path());
    assertEquals(1L, values(rows.rows().get(1)).get("ok"));
  }

  @Test
  void aTrackWithoutAUsableEventNameKeepsItsPropertiesInDiscards() {
    Event track =
        Event.builder(EventType.TRACK)
            .messageId("m3")
            .event("日本語")
            .properties(Map.of("a", 1L))
            .build();
    EventRows rows = LAYOUT.rows(track, LOADED);
    assertEquals(List.of("tracks"), rows.rows().stream().map(TableRow::table).toList());
    assertNull(values(rows.rows().get(0)).get("event"));
    assertEquals("日本語", values(rows.rows().get(0)).get("event_text"));
    assertEquals(DiscardReason.NO_EVENT_TABLE, rows.discards().get(0).reason());
    assertEquals(Map.of("a", 1L), rows.discards().get(0).value());
  }

  @Test
  void anEventWithoutAUsableMessageIdBecomesOneDiscard() {
    for (String id : new String[] {null, "", "a\u0000b", "x".repeat(513)}) {
      Event e =
          Event.builder(EventType.IDENTIFY)
              .messageId(id)
              .userId("u")
              .traits(Map.of("a", 1L))
              .build();
      EventRows rows = LAYOUT.rows(e, LOADED);
      assertTrue(rows.rows().isEmpty());
      assertEquals(DiscardReason.INVALID_MESSAGE_ID, rows.discards().get(0).reason());
      assertEquals("identifies", rows.discards().get(0).table());
    }
  }

  @Test
  void deletesGiveNoRows() {
    EventRows rows =
        LAYOUT.rows(Event.builder(EventType.DELETE).messageId("d").userId("u").build(), LOADED);
    assertTrue(rows.rows().isEmpty());
    assertTrue(rows.discards().isEmpty());
  }

  @Test
  void contextTraitsAndNestedObjectsFlattenWithUnderscores() {
    Event e =
        Event.builder(EventType.ALIAS)
            .messageId("m4")
            .previousId("p")
            .userId("u")
            .context(
                Map.of(
                    "traits",
                    Map.of("firstName", "A"),
                    "field",
                    Map.of("nestedA", Map.of("nestedB", true))))
            .build();
    Map<String, Object> v = values(LAYOUT.rows(e, LOADED).rows().get(0));
    assertEquals("A", v.get("context_traits_first_name"));
    assertEquals(true, v.get("context_field_nested_a_nested_b"));
    assertEquals("p", v.get("previous_id"));
  }

  @Test
  void theSameEventAlwaysGivesTheSameRows() {
    for (String file : Samples.FILES) {
      for (Event e : Samples.load(file)) {
        assertEquals(LAYOUT.rows(e, LOADED), LAYOUT.rows(e, LOADED));
      }
    }
  }
}
