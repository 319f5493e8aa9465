package io.segmentredshift.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.testkit.SegmentTraffic;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class EventRecordTest {
  private static final EventParser PARSER = EventParser.create();

  private static Event event(long seed) {
    return PARSER.parseEvent(SegmentTraffic.seeded(seed).next());
  }

  @Property(tries = 200)
  void decodeReadsBackWhatEncodeWrote(
      @ForAll @StringLength(min = 1, max = 200) String source, @ForAll long seed) {
    Event event = event(seed);
    EventRecord decoded = EventRecord.decode(EventRecord.encode(source, event));
    // A lone surrogate has no UTF-8 form and is written as '?', as String.getBytes does.
    assertEquals(
        new String(source.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
        decoded.source());
    assertEquals(event, decoded.event());
  }

  @Test
  void startsWithVersionOneAndTheSourceLength() {
    byte[] bytes = new EventRecord("shop", event(1)).encode();
    assertArrayEquals(new byte[] {1, 0, 4, 's', 'h', 'o', 'p', '{'}, Arrays.copyOf(bytes, 8));
  }

  @Test
  void refusesAnUnknownVersion() {
    byte[] bytes = EventRecord.encode("shop", event(2));
    bytes[0] = 2;
    SpoolException e = assertThrows(SpoolException.class, () -> EventRecord.decode(bytes));
    assertEquals(SpoolException.Reason.BAD_RECORD, e.reason());
    assertEquals("unknown record version 2, this reader knows 1", e.getMessage());
  }

  @Test
  void refusesShortOrInconsistentHeaders() {
    for (byte[] bytes :
        new byte[][] {{}, {1, 0}, {1, 0, 0, '{', '}'}, {1, 0, 9, 'a', 'b'}, {1, (byte) 0xFF, 1}}) {
      SpoolException e = assertThrows(SpoolException.class, () -> EventRecord.decode(bytes));
      assertEquals(SpoolException.Reason.BAD_RECORD, e.reason(), Arrays.toString(bytes));
    }
  }

  @Test
  void refusesADamagedEventWithoutQuotingIt() {
    byte[] good = EventRecord.encode("shop", event(3));
    byte[] cut = Arrays.copyOf(good, good.length - 5);
    SpoolException e = assertThrows(SpoolException.class, () -> EventRecord.decode(cut));
    assertEquals(SpoolException.Reason.BAD_RECORD, e.reason());
    assertEquals("the event of a record cannot be read: TRUNCATED", e.getMessage());
  }

  @Test
  void refusesSourcesThatDoNotFitTheHeader() {
    Event event = event(4);
    assertThrows(IllegalArgumentException.class, () -> EventRecord.encode("", event));
    String huge = "x".repeat(EventRecord.MAX_SOURCE_BYTES + 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EventRecord.encode(huge, event));
    assertEquals("source longer than 65535 bytes: 65536", e.getMessage());
    assertFalse(new EventRecord("shop", event).toString().contains("{\""));
  }
}
