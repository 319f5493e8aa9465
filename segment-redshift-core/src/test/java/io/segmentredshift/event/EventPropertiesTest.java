package io.segmentredshift.event;

import static io.segmentredshift.event.Fixtures.CLOCK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Edge cases are off: jqwik's combination of the edge cases of twenty generators costs seconds per
 * property, and the generators inject their special values (MIN/MAX, -0.0, empty strings, lone
 * surrogates) randomly anyway.
 */
class EventPropertiesTest {
  private final EventParser parser = EventParser.create(EventLimits.defaults(), CLOCK);

  @Provide
  Arbitrary<Event> events() {
    return EventArbitraries.events();
  }

  @Provide
  Arbitrary<Event> validEvents() {
    return EventArbitraries.validEvents();
  }

  @Provide
  Arbitrary<List<Event>> eventLists() {
    return EventArbitraries.events().list().ofMaxSize(5);
  }

  @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
  void readingWhatWasWrittenGivesTheSameEvent(@ForAll("events") Event e) {
    byte[] json = EventJson.write(e);
    Event back = EventJson.read(json);
    assertEquals(e, back);
    assertArrayEquals(json, EventJson.write(back), "the canonical form is a fixed point");
  }

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  void theParserReadsAValidEventBackUnchanged(@ForAll("validEvents") Event e) {
    EventValidator.validate(e);
    assertSame(e, EventValidator.complete(e, Instant.EPOCH));
    assertEquals(e, parser.parseEvent(EventJson.write(e)));
  }

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  void parsingIsStableOnAnyEvent(@ForAll("events") Event e) {
    Event first;
    try {
      first = parser.parseEvent(EventJson.write(e));
    } catch (MalformedEventException invalid) {
      return;
    }
    Event second = parser.parseEvent(EventJson.write(first));
    assertEquals(first, second);
    assertEquals(first.messageId(), second.messageId());
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void batchesAndArraysParseStablyToo(@ForAll("eventLists") List<Event> events) {
    ByteArrayOutputStream array = new ByteArrayOutputStream();
    array.write('[');
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        array.write(',');
      }
      array.writeBytes(EventJson.write(events.get(i)));
    }
    array.write(']');
    byte[] items = array.toByteArray();
    ParseResult webhook = parser.parseWebhook(items);
    assertEquals(events.size(), webhook.events().size() + webhook.rejected().size());
    byte[] batch =
        ("{\"context\":{\"library\":{\"name\":\"x\"}},\"sentAt\":\"2024-03-05T12:00:00Z\",\"batch\":"
                + new String(items, StandardCharsets.UTF_8)
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    ParseResult tracking = parser.parseBatch(batch);
    List<Event> all = new ArrayList<>(webhook.events());
    all.addAll(tracking.events());
    for (Event e : all) {
      assertEquals(e, parser.parseEvent(EventJson.write(e)));
    }
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void aDerivedIdIgnoresOnlyMessageIdSentAtAndReceivedAt(
      @ForAll("events") Event e, @ForAll("events") Event other) {
    String id = EventValidator.derivedMessageId(e);
    Event redelivered =
        e.toBuilder()
            .messageId(other.messageId())
            .sentAt(other.sentAt())
            .receivedAt(other.receivedAt())
            .build();
    assertEquals(id, EventValidator.derivedMessageId(redelivered));
    assertEquals(
        id,
        EventValidator.derivedMessageId(EventJson.read(EventJson.write(e))),
        "the same content read again");
    Event changed = e.toBuilder().userId(e.userId() + "x").build();
    assertEquals(
        false, id.equals(EventValidator.derivedMessageId(changed)), "another userId, another id");
  }
}
