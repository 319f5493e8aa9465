package io.segmentredshift.event;

import static io.segmentredshift.event.Fixtures.NOW;
import static io.segmentredshift.event.Fixtures.parser;
import static io.segmentredshift.event.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segmentredshift.event.MalformedEventException.Reason;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
  private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");

  private static Event.Builder valid(EventType type) {
    Event.Builder b =
        Event.builder(type).messageId("m-1").userId("u-1").receivedAt(NOW).timestamp(T0);
    return switch (type) {
      case TRACK -> b.event("E");
      case GROUP -> b.groupId("g-1");
      case ALIAS -> b.previousId("p-1");
      default -> b;
    };
  }

  private static MalformedEventException invalid(Reason reason, String pointer, Event e) {
    MalformedEventException x =
        assertThrows(MalformedEventException.class, () -> EventValidator.validate(e));
    assertEquals(reason, x.reason(), x.getMessage());
    assertEquals(pointer, x.pointer(), x.getMessage());
    return x;
  }

  @Test
  void acceptsAValidEventOfEveryType() {
    for (EventType type : EventType.values()) {
      EventValidator.validate(valid(type).build());
    }
  }

  @Test
  void requiresUserIdOrAnonymousIdForTheFiveCalls() {
    for (EventType type :
        new EventType[] {
          EventType.IDENTIFY, EventType.TRACK, EventType.PAGE, EventType.SCREEN, EventType.GROUP
        }) {
      invalid(Reason.MISSING_FIELD, "/userId", valid(type).userId(null).build());
      invalid(Reason.MISSING_FIELD, "/userId", valid(type).userId("").anonymousId("").build());
      EventValidator.validate(valid(type).userId(null).anonymousId("a-1").build());
    }
  }

  @Test
  void requiresEventForTrackAndGroupIdForGroup() {
    invalid(Reason.MISSING_FIELD, "/event", valid(EventType.TRACK).event(null).build());
    invalid(Reason.MISSING_FIELD, "/event", valid(EventType.TRACK).event("").build());
    invalid(Reason.MISSING_FIELD, "/groupId", valid(EventType.GROUP).groupId(null).build());
  }

  @Test
  void requiresPreviousIdAndUserIdForAlias() {
    invalid(Reason.MISSING_FIELD, "/previousId", valid(EventType.ALIAS).previousId(null).build());
    invalid(
        Reason.MISSING_FIELD,
        "/userId",
        valid(EventType.ALIAS).userId(null).anonymousId("a-1").build());
  }

  @Test
  void requiresUserIdForADeletionRequest() {
    invalid(
        Reason.MISSING_FIELD,
        "/userId",
        valid(EventType.DELETE).userId(null).anonymousId("a-1").build());
  }

  @Test
  void limitsMessageIdToOneHundredCharacters() {
    EventValidator.validate(valid(EventType.TRACK).messageId("m".repeat(100)).build());
    invalid(
        Reason.MESSAGE_ID_TOO_LONG,
        "/messageId",
        valid(EventType.TRACK).messageId("m".repeat(101)).build());
    invalid(Reason.MISSING_FIELD, "/messageId", valid(EventType.TRACK).messageId(null).build());
  }

  @Test
  void requiresReceivedAtAndTimestamp() {
    invalid(Reason.MISSING_FIELD, "/receivedAt", valid(EventType.PAGE).receivedAt(null).build());
    invalid(Reason.MISSING_FIELD, "/timestamp", valid(EventType.PAGE).timestamp(null).build());
  }

  @Test
  void completeKeepsAnEventThatHasEverything() {
    Event e = valid(EventType.TRACK).build();
    assertSame(e, EventValidator.complete(e, Instant.EPOCH));
  }

  @Test
  void completeFillsReceivedAtAndComputesTimestampAsSegmentDoes() {
    Event.Builder b = valid(EventType.TRACK).receivedAt(null).timestamp(null);
    Instant original = Instant.parse("2024-03-05T12:30:00Z");
    Instant sent = Instant.parse("2024-03-05T12:30:02.5Z");
    // receivedAt - (sentAt - originalTimestamp)
    Event skewed = EventValidator.complete(b.originalTimestamp(original).sentAt(sent).build(), NOW);
    assertEquals(NOW, skewed.receivedAt());
    assertEquals(Instant.parse("2024-03-05T11:59:57.5Z"), skewed.timestamp());
    // Without sentAt: originalTimestamp.
    assertEquals(
        original,
        EventValidator.complete(b.originalTimestamp(original).sentAt(null).build(), NOW)
            .timestamp());
    // Without originalTimestamp: receivedAt.
    assertEquals(
        NOW,
        EventValidator.complete(b.originalTimestamp(null).sentAt(sent).build(), NOW).timestamp());
    // A receivedAt already there (Segment's) is kept and used.
    Instant segments = Instant.parse("2024-03-05T12:30:03Z");
    Event relayed =
        EventValidator.complete(
            b.originalTimestamp(original).sentAt(sent).receivedAt(segments).build(), NOW);
    assertEquals(segments, relayed.receivedAt());
    assertEquals(Instant.parse("2024-03-05T12:30:00.5Z"), relayed.timestamp());
  }

  @Test
  void completeFallsBackToOriginalTimestampWhenTheCorrectionLeavesInstantRange() {
    Event e =
        valid(EventType.TRACK)
            .timestamp(null)
            .originalTimestamp(Instant.MIN)
            .sentAt(Instant.MAX)
            .build();
    assertEquals(Instant.MIN, EventValidator.complete(e, NOW).timestamp());
  }

  @Test
  void completeThrowsWhenARuleIsBroken() {
    MalformedEventException e =
        assertThrows(
            MalformedEventException.class,
            () -> EventValidator.complete(Event.builder(EventType.TRACK).userId("u").build(), NOW));
    assertEquals(Reason.MISSING_FIELD, e.reason());
    assertEquals("/event", e.pointer());
  }

  @Test
  void derivesTheMessageIdFromTheCanonicalContent() {
    Event e =
        Event.builder(EventType.TRACK)
            .userId("u-1")
            .event("A")
            .timestamp(T0)
            .properties(Map.of("n", 1.5))
            .build();
    // sha256sum of {"type":"track","userId":"u-1","timestamp":"2024-03-05T10:00:00Z","event":"A",
    // "properties":{"n":1.5}} (printf '%s' ... | sha256sum), the canonical JSON without
    // messageId, sentAt and receivedAt.
    assertEquals(
        "sr-8a82f346b5c7c467fc74b579dc6af58be6d5ede623ebc57d4f53a933e65770bb",
        EventValidator.derivedMessageId(e));
    assertEquals(EventValidator.derivedMessageId(e), EventValidator.complete(e, NOW).messageId());
  }

  @Test
  void derivesTheSameIdForARetriedDeliveryAndAnotherForOtherContent() {
    EventParser parser = parser();
    String body =
        "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"a\":1},"
            + "\"sentAt\":\"2024-03-05T10:00:00Z\"}";
    String retried =
        "{ \"type\": \"track\", \"userId\": \"u\", \"event\": \"E\", \"properties\": {\"a\": 1},\n"
            + "  \"sentAt\": \"2024-03-05T10:05:00Z\", \"receivedAt\": \"2024-03-05T10:05:01Z\" }";
    Event first = parser.parseEvent(utf8(body));
    Event again = parser.parseEvent(utf8(retried));
    assertEquals(first.messageId(), again.messageId());
    assertNotEquals(first.receivedAt(), again.receivedAt());
    Event other = parser.parseEvent(utf8(body.replace("\"a\":1", "\"a\":2")));
    assertNotEquals(first.messageId(), other.messageId());
    Event empty =
        parser.parseEvent(utf8(body.replace("{\"type\"", "{\"messageId\":\"\",\"type\"")));
    assertEquals(first.messageId(), empty.messageId());
  }
}
