package io.segmentredshift.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.segmentredshift.event.MalformedEventException.Reason;
import java.io.IOException;
import java.util.Objects;

/**
 * The canonical JSON form of an {@link Event}, for storing events (the spool) and for deriving
 * messageIds.
 *
 * <p>{@link #write(Event)} writes UTF-8 JSON with the Spec fields in a fixed order ({@code type},
 * {@code messageId}, {@code anonymousId}, {@code userId}, {@code timestamp}, {@code
 * originalTimestamp}, {@code sentAt}, {@code receivedAt}, {@code event}, {@code name}, {@code
 * category}, {@code groupId}, {@code previousId}, {@code traits}, {@code properties}, {@code
 * context}, {@code integrations}, {@code version}, {@code channel}, {@code writeKey}), then the
 * extras in their order; absent fields and empty objects are left out; no whitespace. Timestamps
 * are written as {@link java.time.Instant#toString()} writes them.
 *
 * <p>{@link #read(byte[])} reads it back as it is: nothing is filled in and no Spec rule is
 * checked. For every event {@code e}, {@code read(write(e)).equals(e)}, including numbers beyond
 * long and double range, nulls inside objects, extras and any Unicode (even unpaired surrogates).
 */
public final class EventJson {
  /**
   * Reads what this library wrote: no size limits, and the deepest nesting the value model takes.
   */
  private static final EventReader READER =
      new EventReader(
          EventLimits.DEPTH_CEILING, Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(EventLimits.DEPTH_CEILING + 1)
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNameLength(Integer.MAX_VALUE)
                  .maxNumberLength(Integer.MAX_VALUE)
                  .build())
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .disable(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW)
          .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private EventJson() {}

  /** The canonical JSON of {@code event}, UTF-8. */
  public static byte[] write(Event event) {
    Objects.requireNonNull(event, "event == null");
    return new JsonWriter().event(event, false).toByteArray();
  }

  /** Reads an event from its canonical JSON. */
  public static Event read(byte[] json) {
    Objects.requireNonNull(json, "json == null");
    return read(json, 0, json.length);
  }

  /**
   * Reads an event from {@code length} bytes of {@code json} at {@code offset}.
   *
   * @throws MalformedEventException when the bytes are not one JSON object with fields of the right
   *     types
   */
  public static Event read(byte[] json, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(json, "json == null").length);
    try (JsonParser p = EventParser.open(FACTORY, json, offset, length)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw Failure.of(
            t == null ? Reason.NOT_JSON : Reason.NOT_AN_OBJECT, "an event is a JSON object");
      }
      Event event = READER.event(p, null, false);
      EventParser.end(p);
      return event;
    } catch (Failure f) {
      throw f.toException(-1, -1);
    } catch (IOException e) {
      throw Failure.of(e).toException(-1, -1);
    }
  }
}
