package io.segmentredshift.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.segmentredshift.event.MalformedEventException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads Segment messages from request bodies and streams, on Jackson's streaming parser, under
 * {@link EventLimits}. Thread-safe; create one and share it.
 *
 * <table>
 *   <caption>Entry points</caption>
 *   <tr><th>input</th><th>method</th><th>on a bad message</th></tr>
 *   <tr><td>classic webhook: one object</td><td>{@link #parseEvent(byte[])},
 *       {@link #parseWebhook(byte[])}</td><td>throws</td></tr>
 *   <tr><td>Webhooks (Actions) batching: an array</td><td>{@link #parseWebhook(byte[])}</td>
 *       <td>rejects the item, keeps the others</td></tr>
 *   <tr><td>Tracking API {@code /v1/batch} (and {@code /v1/import})</td>
 *       <td>{@link #parseBatch(byte[])}</td><td>rejects the item, keeps the others</td></tr>
 *   <tr><td>Tracking API {@code /v1/track}, {@code /v1/identify}, ...</td>
 *       <td>{@link #parseCall(byte[], EventType)}</td><td>throws</td></tr>
 *   <tr><td>NDJSON, plain or gzip (Segment's S3 archive)</td><td>{@link #ndjson(InputStream)}</td>
 *       <td>rejects the line, keeps reading</td></tr>
 * </table>
 *
 * <p>Every event returned is complete and valid ({@link EventValidator#complete(Event, Instant)}):
 * receivedAt is the {@link Clock}'s instant at the call when the message has none. Messages from
 * Segment (webhooks, the archive) keep the timestamps they carry. Messages from clients (the
 * Tracking API routes) are read as Segment's Tracking API reads them: a {@code timestamp} without
 * {@code originalTimestamp} is the client's clock, so it becomes {@code originalTimestamp} and
 * {@code timestamp} is computed from {@code sentAt} and receivedAt; {@code type: "delete"} is not
 * accepted from clients.
 *
 * <p>Every failure is a {@link MalformedEventException}; a failure of a whole request is thrown, a
 * failure of one message in a batch, array or stream is returned in {@link ParseResult#rejected()}.
 * The size of a body and of a line is checked before it is parsed; nesting, string and number
 * limits are checked token by token as the message is read.
 */
public final class EventParser {
  private final EventLimits limits;
  private final Clock clock;
  private final JsonFactory factory;
  private final EventReader reader;

  private EventParser(EventLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
    this.reader =
        new EventReader(
            limits.maxDepth(),
            limits.maxStringLength(),
            limits.maxNumberLength(),
            limits.maxNumberLength());
    // The reader enforces the limits itself and fails before the token stream breaks, so a batch
    // can skip one bad item. Jackson's own constraints are only a backstop: no string or number
    // can be longer than a body, and nesting past the ceiling fails the whole request.
    int longest = Math.max(limits.maxRequestBytes(), limits.maxEventBytes());
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(Math.max(EventLimits.DEPTH_CEILING, limits.maxDepth() + 3))
                    .maxStringLength(Math.max(longest, limits.maxStringLength()))
                    .maxNameLength(Math.max(longest, limits.maxStringLength()))
                    .maxNumberLength(Math.max(longest, limits.maxNumberLength()))
                    .maxDocumentLength(longest)
                    .build())
            // Field names come from users: no String.intern() of arbitrary keys, and no
            // IllegalStateException when crafted names collide in Jackson's symbol table.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
  }

  /** A parser with {@link EventLimits#defaults()} and the UTC system clock. */
  public static EventParser create() {
    return create(EventLimits.defaults(), Clock.systemUTC());
  }

  /** A parser with these limits; {@code clock} gives receivedAt to messages that have none. */
  public static EventParser create(EventLimits limits, Clock clock) {
    return new EventParser(
        Objects.requireNonNull(limits, "limits == null"),
        Objects.requireNonNull(clock, "clock == null"));
  }

  /** The limits this parser enforces. */
  public EventLimits limits() {
    return limits;
  }

  /**
   * Reads one message from a body that is one JSON object (a classic webhook delivery, a line of
   * Segment's archive).
   *
   * @throws MalformedEventException when the body or the message is not valid
   */
  public Event parseEvent(byte[] body) {
    Objects.requireNonNull(body, "body == null");
    Instant now = clock.instant();
    try {
      checkSize(body.length, Math.min(limits.maxEventBytes(), limits.maxRequestBytes()));
      return single(body, 0, body.length, now, null, false);
    } catch (Failure f) {
      throw f.toException(-1, -1);
    } catch (IOException e) {
      throw Failure.of(e).toException(-1, -1);
    }
  }

  /**
   * Reads a Segment webhook body: one JSON object (classic, or Actions without batching), or a JSON
   * array of messages (Webhooks (Actions) with batching).
   *
   * @throws MalformedEventException when the body as a whole is not valid: not JSON, too large,
   *     more than {@link EventLimits#maxBatchEvents()} items, neither an object nor an array, or a
   *     single object that is not a valid message
   */
  public ParseResult parseWebhook(byte[] body) {
    Objects.requireNonNull(body, "body == null");
    Instant now = clock.instant();
    try {
      checkSize(body.length, limits.maxRequestBytes());
      try (JsonParser p = open(factory, body, 0, body.length)) {
        JsonToken t = first(p);
        if (t == JsonToken.START_ARRAY) {
          List<Object> slots = items(p, false);
          end(p);
          return complete(slots, now, null, null, null, null, false);
        }
        if (t != JsonToken.START_OBJECT) {
          throw Failure.of(Reason.NOT_AN_OBJECT, "the body must be a JSON object or array");
        }
        checkSize(body.length, limits.maxEventBytes());
        Event raw = reader.event(p, null, false);
        end(p);
        return new ParseResult(List.of(EventValidator.complete(raw, now, false)), List.of(), null);
      }
    } catch (Failure f) {
      throw f.toException(-1, -1);
    } catch (IOException e) {
      throw Failure.of(e).toException(-1, -1);
    }
  }

  /**
   * Reads a Tracking API batch body, {@code {"batch": [...], "context": {...}, "integrations":
   * {...}, "sentAt": ..., "writeKey": ...}}, as posted to {@code /v1/batch} (and to {@code
   * /v1/import} by analytics-java).
   *
   * <p>The top-level {@code context} and {@code integrations} are merged into each message's own,
   * deeply: where both have an object under the same key the two objects are merged the same way,
   * otherwise the message's value wins (also a null); keys keep the top-level order, followed by
   * the message's other keys. The top-level {@code sentAt}, which the client libraries set once per
   * request, is each message's {@code sentAt} unless it has its own. The top-level {@code writeKey}
   * is returned in {@link ParseResult#writeKey()} for authentication; other top-level keys (such as
   * analytics-java's {@code sequence}) are ignored. Each message must carry its {@code type}.
   *
   * @throws MalformedEventException when the body as a whole is not valid: not JSON, too large,
   *     more than {@link EventLimits#maxBatchEvents()} items, not an object, no {@code batch}
   *     array, or a top-level field of the wrong type
   */
  public ParseResult parseBatch(byte[] body) {
    Objects.requireNonNull(body, "body == null");
    Instant now = clock.instant();
    try {
      checkSize(body.length, limits.maxRequestBytes());
      try (JsonParser p = open(factory, body, 0, body.length)) {
        if (first(p) != JsonToken.START_OBJECT) {
          throw Failure.of(Reason.NOT_AN_OBJECT, "the batch body must be a JSON object");
        }
        List<Object> slots = null;
        Map<String, Object> context = null;
        Map<String, Object> integrations = null;
        Instant sentAt = null;
        String writeKey = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
          try {
            JsonToken t = p.nextToken();
            switch (name) {
              case "batch" -> {
                if (t != JsonToken.START_ARRAY) {
                  throw Failure.of(Reason.WRONG_FIELD_TYPE, "must be an array");
                }
                slots = items(p, true);
              }
              case "context" -> context = reader.object(p, t);
              case "integrations" -> integrations = reader.object(p, t);
              case "sentAt" -> sentAt = reader.instant(p, t);
              case "writeKey" -> writeKey = reader.string(p, t);
              default -> p.skipChildren();
            }
          } catch (Failure f) {
            throw f.in(name);
          } catch (IOException e) {
            throw Failure.of(e).in(name);
          }
        }
        end(p);
        if (slots == null) {
          throw Failure.of(Reason.MISSING_FIELD, "batch is required").in("batch");
        }
        return complete(slots, now, context, integrations, sentAt, writeKey, true);
      }
    } catch (Failure f) {
      throw f.toException(-1, -1);
    } catch (IOException e) {
      throw Failure.of(e).toException(-1, -1);
    }
  }

  /**
   * Reads the body of a single Tracking API call ({@code /v1/track}, {@code /v1/identify}, {@code
   * /v1/page}, {@code /v1/screen}, {@code /v1/group}, {@code /v1/alias}): one message. The route
   * gives the type when the message has no {@code type}; a {@code type} that differs from the route
   * is refused ({@code TYPE_MISMATCH}) rather than guessed at. The message's {@code writeKey}, if
   * any, is in {@link Event#writeKey()}.
   *
   * @param route the call of the route: any type but {@link EventType#DELETE}
   * @throws MalformedEventException when the body or the message is not valid
   */
  public Event parseCall(byte[] body, EventType route) {
    Objects.requireNonNull(body, "body == null");
    Objects.requireNonNull(route, "route == null");
    if (route == EventType.DELETE) {
      throw new IllegalArgumentException("route is not a Tracking API call: delete");
    }
    Instant now = clock.instant();
    try {
      checkSize(body.length, Math.min(limits.maxEventBytes(), limits.maxRequestBytes()));
      return single(body, 0, body.length, now, route, true);
    } catch (Failure f) {
      throw f.toException(-1, -1);
    } catch (IOException e) {
      throw Failure.of(e).toException(-1, -1);
    }
  }

  /**
   * A reader of newline-delimited JSON, one message per line, as in Segment's S3 archive. A gzip
   * stream (one or more members) is recognised by its magic bytes and decompressed on the fly.
   * Nothing is read until {@link NdjsonReader#read(int)}; no more than one line (at most {@link
   * EventLimits#maxEventBytes()}) is held in memory. {@link EventLimits#maxRequestBytes()} does not
   * apply.
   */
  public NdjsonReader ndjson(InputStream in) {
    return new NdjsonReader(this, Objects.requireNonNull(in, "in == null"));
  }

  /**
   * Reads a request body, and stops as soon as it is longer than {@link
   * EventLimits#maxRequestBytes()}: a body over the limit is never held whole in memory.
   *
   * @throws MalformedEventException with {@code TOO_LARGE} when the body is over the limit
   * @throws IOException when reading fails
   */
  public byte[] readBody(InputStream in) throws IOException {
    Objects.requireNonNull(in, "in == null");
    int max = limits.maxRequestBytes();
    byte[] body = in.readNBytes(max == Integer.MAX_VALUE ? max : max + 1);
    if (body.length > max) {
      throw tooLarge(max).toException(-1, -1);
    }
    return body;
  }

  /** One NDJSON line: an event, or the exception that rejects it. */
  Object line(byte[] buf, int offset, int length, Instant now, long line) {
    try {
      checkSize(length, limits.maxEventBytes());
      return single(buf, offset, length, now, null, false);
    } catch (Failure f) {
      return f.toException(-1, line);
    } catch (IOException e) {
      return Failure.of(e).toException(-1, line);
    }
  }

  Instant now() {
    return clock.instant();
  }

  private Event single(
      byte[] body, int offset, int length, Instant now, EventType route, boolean trackingApi)
      throws IOException {
    try (JsonParser p = open(factory, body, offset, length)) {
      if (first(p) != JsonToken.START_OBJECT) {
        throw Failure.of(Reason.NOT_AN_OBJECT, "a message must be a JSON object");
      }
      Event raw = reader.event(p, route, trackingApi);
      end(p);
      return EventValidator.complete(raw, now, trackingApi);
    }
  }

  /**
   * Reads the items of the array whose {@code START_ARRAY} is the current token. Each slot is an
   * Event as read, or the MalformedEventException that rejects the item.
   */
  private List<Object> items(JsonParser p, boolean trackingApi) throws IOException {
    JsonStreamContext array = p.getParsingContext();
    List<Object> slots = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      int index = slots.size();
      if (index == limits.maxBatchEvents()) {
        throw Failure.of(
            Reason.TOO_MANY_EVENTS,
            "a batch holds more than " + limits.maxBatchEvents() + " events");
      }
      try {
        if (t != JsonToken.START_OBJECT) {
          throw Failure.of(Reason.NOT_AN_OBJECT, "a message must be a JSON object");
        }
        long start = p.currentTokenLocation().getByteOffset();
        Event raw = reader.event(p, null, trackingApi);
        long size = p.currentTokenLocation().getByteOffset() + 1 - start;
        if (size > limits.maxEventBytes()) {
          throw tooLarge(limits.maxEventBytes());
        }
        slots.add(raw);
      } catch (IOException e) {
        throw Failure.of(e).at(index);
      } catch (Failure f) {
        if (f.fatal) {
          throw f.at(index);
        }
        slots.add(f.toException(index, -1));
        // The stream is intact: move on to the end of this item.
        while (p.getParsingContext() != array) {
          if (p.nextToken() == null) {
            throw new Failure(Reason.TRUNCATED, "the JSON ends unexpectedly", true).at(index);
          }
        }
      }
    }
    return slots;
  }

  /** Merges batch-level fields into each read item, completes and validates it. */
  private static ParseResult complete(
      List<Object> slots,
      Instant now,
      Map<String, Object> context,
      Map<String, Object> integrations,
      Instant sentAt,
      String writeKey,
      boolean trackingApi) {
    List<Event> events = new ArrayList<>(slots.size());
    List<MalformedEventException> rejected = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      Object slot = slots.get(i);
      if (slot instanceof MalformedEventException e) {
        rejected.add(e);
        continue;
      }
      Event raw = (Event) slot;
      if (context != null || integrations != null || (sentAt != null && raw.sentAt() == null)) {
        Event.Builder b =
            raw.toBuilder()
                .objectsUnchecked(
                    raw.traits(),
                    raw.properties(),
                    merge(context, raw.context()),
                    merge(integrations, raw.integrations()),
                    raw.extras());
        if (raw.sentAt() == null) {
          b.sentAt(sentAt);
        }
        raw = b.build();
      }
      try {
        events.add(EventValidator.complete(raw, now, trackingApi));
      } catch (Failure f) {
        rejected.add(f.toException(i, -1));
      }
    }
    return new ParseResult(events, rejected, writeKey);
  }

  /** Deep merge; {@code mine} wins (see {@link #parseBatch(byte[])}). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> top, Map<String, Object> mine) {
    if (top == null || top.isEmpty()) {
      return mine;
    }
    if (mine.isEmpty()) {
      return top;
    }
    Map<String, Object> merged = new LinkedHashMap<>(top);
    for (Map.Entry<String, Object> entry : mine.entrySet()) {
      Object value = entry.getValue();
      Object theirs = merged.get(entry.getKey());
      if (value instanceof Map<?, ?> && theirs instanceof Map<?, ?>) {
        value = merge((Map<String, Object>) theirs, (Map<String, Object>) value);
      }
      merged.put(entry.getKey(), value);
    }
    return Collections.unmodifiableMap(merged);
  }

  private static JsonToken first(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw new Failure(Reason.NOT_JSON, "the body is empty", true);
    }
    return t;
  }

  /** Fails unless the document ends after the value just read. */
  static void end(JsonParser p) throws IOException {
    if (p.nextToken() != null) {
      throw new Failure(Reason.NOT_JSON, "there is content after the JSON value", true);
    }
  }

  /**
   * A Jackson parser over UTF-8 bytes. Jackson would detect UTF-16 and UTF-32 by their zero bytes
   * or byte order mark; JSON between systems is UTF-8 (RFC 8259), and byte offsets and signatures
   * are about UTF-8 bytes, so those are refused here. A UTF-8 byte order mark is skipped.
   */
  static JsonParser open(JsonFactory factory, byte[] b, int offset, int length) throws IOException {
    for (int i = offset, end = offset + Math.min(length, 4); i < end; i++) {
      if (b[i] == 0 || (i == offset && (b[i] & 0xff) >= 0xfe)) {
        throw new Failure(Reason.INVALID_UTF8, "the bytes are not UTF-8", true);
      }
    }
    return factory.createParser(b, offset, length);
  }

  private static void checkSize(int length, int max) {
    if (length > max) {
      throw tooLarge(max);
    }
  }

  private static Failure tooLarge(int max) {
    return new Failure(Reason.TOO_LARGE, "larger than " + max + " bytes", false);
  }
}
