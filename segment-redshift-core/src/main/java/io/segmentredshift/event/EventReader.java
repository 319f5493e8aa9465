package io.segmentredshift.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import io.segmentredshift.event.MalformedEventException.Reason;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one message from a Jackson token stream into an {@link Event}, exactly as sent: no field is
 * filled in and no Spec rule is checked here (see {@link EventValidator}). Enforces the depth,
 * string and number limits itself, before the token stream is harmed, so that a batch can skip a
 * bad item and go on. Stateless and thread-safe.
 *
 * <p>Field types: {@code type} and the names ({@code event}, {@code name}, {@code category}, {@code
 * channel}, {@code writeKey}) are strings; the identifiers ({@code messageId}, {@code userId},
 * {@code anonymousId}, {@code groupId}, {@code previousId}) are strings, or integers kept as their
 * decimal text, since analytics.js lets callers pass a numeric id; the four timestamps are ISO-8601
 * strings; {@code traits}, {@code properties}, {@code context} and {@code integrations} are
 * objects; {@code version} is any JSON value. JSON {@code null} for any of them means absent. A
 * duplicate key takes the last value, as JavaScript's {@code JSON.parse} does, and keeps the
 * position of its first occurrence; every occurrence must have an acceptable type.
 */
final class EventReader {
  private final int maxDepth;
  private final int maxString;
  private final int maxNumber;
  private final long maxPlainDigits;

  EventReader(int maxDepth, int maxString, int maxNumber, long maxPlainDigits) {
    this.maxDepth = maxDepth;
    this.maxString = maxString;
    this.maxNumber = maxNumber;
    this.maxPlainDigits = maxPlainDigits;
  }

  /**
   * Reads the message whose {@code START_OBJECT} is the current token, through its {@code
   * END_OBJECT}.
   *
   * @param route the type when {@code type} is absent (a Tracking API call route), or null when
   *     {@code type} is required
   * @param trackingApi true when clients sent it: {@code delete} is then not accepted
   */
  Event event(JsonParser p, EventType route, boolean trackingApi) throws IOException {
    Event.Builder b = Event.builder(EventType.TRACK);
    EventType type = null;
    Map<String, Object> traits = null;
    Map<String, Object> properties = null;
    Map<String, Object> context = null;
    Map<String, Object> integrations = null;
    Map<String, Object> extras = null;
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      checkName(name);
      try {
        JsonToken t = p.nextToken();
        switch (name) {
          case "type" -> type = type(p, t);
          case "messageId" -> b.messageId(id(p, t));
          case "anonymousId" -> b.anonymousId(id(p, t));
          case "userId" -> b.userId(id(p, t));
          case "timestamp" -> b.timestamp(instant(p, t));
          case "originalTimestamp" -> b.originalTimestamp(instant(p, t));
          case "sentAt" -> b.sentAt(instant(p, t));
          case "receivedAt" -> b.receivedAt(instant(p, t));
          case "event" -> b.event(string(p, t));
          case "name" -> b.name(string(p, t));
          case "category" -> b.category(string(p, t));
          case "groupId" -> b.groupId(id(p, t));
          case "previousId" -> b.previousId(id(p, t));
          case "traits" -> traits = object(p, t);
          case "properties" -> properties = object(p, t);
          case "context" -> context = object(p, t);
          case "integrations" -> integrations = object(p, t);
          case "version" -> b.version(value(p, t, 2));
          case "channel" -> b.channel(string(p, t));
          case "writeKey" -> b.writeKey(string(p, t));
          default -> {
            if (extras == null) {
              extras = new LinkedHashMap<>();
            }
            extras.put(name, value(p, t, 2));
          }
        }
      } catch (Failure f) {
        throw f.in(name);
      } catch (IOException e) {
        throw Failure.of(e).in(name);
      }
    }
    if (type == null) {
      if (route == null) {
        throw Failure.of(Reason.MISSING_FIELD, "type is required").in("type");
      }
      type = route;
    } else if (route != null && type != route) {
      throw Failure.of(Reason.TYPE_MISMATCH, "type differs from the route's call").in("type");
    }
    if (trackingApi && type == EventType.DELETE) {
      throw Failure.of(Reason.UNKNOWN_TYPE, "delete is only accepted from Segment's webhooks")
          .in("type");
    }
    return b.type(type)
        .objectsUnchecked(
            traits,
            properties,
            context,
            integrations,
            extras == null ? null : Collections.unmodifiableMap(extras))
        .build();
  }

  /** An object field of the message or of a batch body (depth 2), or null for JSON null. */
  Map<String, Object> object(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.START_OBJECT) {
      return readObject(p, 2);
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw Failure.of(Reason.WRONG_FIELD_TYPE, "must be an object");
  }

  /** A string field, or null for JSON null. */
  String string(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return text(p);
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw Failure.of(Reason.WRONG_FIELD_TYPE, "must be a string");
  }

  /** A timestamp field, or null for JSON null. */
  Instant instant(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      Instant instant =
          Timestamps.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      if (instant == null) {
        throw Failure.of(Reason.BAD_TIMESTAMP, "is not an ISO-8601 date-time");
      }
      return instant;
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw Failure.of(Reason.WRONG_FIELD_TYPE, "must be an ISO-8601 date-time string");
  }

  private String id(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return text(p);
    }
    if (t == JsonToken.VALUE_NUMBER_INT) {
      checkNumberLength(p.getTextLength());
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw Failure.of(Reason.WRONG_FIELD_TYPE, "must be a string or an integer");
  }

  private static EventType type(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw Failure.of(Reason.WRONG_FIELD_TYPE, "must be a string");
    }
    EventType type =
        switch (p.getText()) {
          case "track" -> EventType.TRACK;
          case "identify" -> EventType.IDENTIFY;
          case "page" -> EventType.PAGE;
          case "screen" -> EventType.SCREEN;
          case "group" -> EventType.GROUP;
          case "alias" -> EventType.ALIAS;
          case "delete" -> EventType.DELETE;
          default -> null;
        };
    if (type == null) {
      throw Failure.of(
          Reason.UNKNOWN_TYPE, "is not one of identify, track, page, screen, group, alias, delete");
    }
    return type;
  }

  /** Any JSON value; {@code depth} is the depth a container value would have. */
  Object value(JsonParser p, JsonToken t, int depth) throws IOException {
    if (t == null) {
      throw new Failure(Reason.TRUNCATED, "the JSON ends unexpectedly", true);
    }
    switch (t) {
      case VALUE_STRING:
        return text(p);
      case VALUE_NUMBER_INT:
        return integer(p);
      case VALUE_NUMBER_FLOAT:
        return decimal(p);
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case START_OBJECT:
        return readObject(p, depth);
      case START_ARRAY:
        return readArray(p, depth);
      default:
        throw new Failure(Reason.NOT_JSON, "not valid JSON", true);
    }
  }

  private Map<String, Object> readObject(JsonParser p, int depth) throws IOException {
    checkDepth(depth);
    Map<String, Object> map = new LinkedHashMap<>();
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      checkName(name);
      try {
        map.put(name, value(p, p.nextToken(), depth + 1));
      } catch (Failure f) {
        throw f.in(name);
      } catch (IOException e) {
        throw Failure.of(e).in(name);
      }
    }
    return Collections.unmodifiableMap(map);
  }

  private List<Object> readArray(JsonParser p, int depth) throws IOException {
    checkDepth(depth);
    List<Object> list = new ArrayList<>();
    for (int i = 0; ; i++) {
      try {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
          return Collections.unmodifiableList(list);
        }
        list.add(value(p, t, depth + 1));
      } catch (Failure f) {
        throw f.at(i);
      } catch (IOException e) {
        throw Failure.of(e).at(i);
      }
    }
  }

  private String text(JsonParser p) throws IOException {
    String s = p.getText();
    if (s.length() > maxString) {
      throw Failure.of(Reason.STRING_TOO_LONG, "a string is longer than " + maxString);
    }
    return s;
  }

  private Object integer(JsonParser p) throws IOException {
    checkNumberLength(p.getTextLength());
    JsonParser.NumberType type = p.getNumberType();
    if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
      return p.getLongValue();
    }
    return Numbers.integer(p.getBigIntegerValue());
  }

  private Object decimal(JsonParser p) throws IOException {
    int len = p.getTextLength();
    checkNumberLength(len);
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    try {
      double v = NumberInput.parseDouble(c, off, len, true);
      if (Numbers.fastExact(c, off, len, v)) {
        return v;
      }
      BigDecimal d = new BigDecimal(c, off, len);
      if (Math.abs((long) d.scale()) > Numbers.MAX_SCALE) {
        throw Failure.of(Reason.NUMBER_TOO_LONG, "a number is out of range");
      }
      Object n = Numbers.decimal(d);
      // Kept exact, it must stay printable: 1e999999 is a short text with a huge plain form.
      if (n instanceof BigDecimal && Numbers.plainLength(d) > maxPlainDigits) {
        throw Failure.of(Reason.NUMBER_TOO_LONG, "a number is out of range");
      }
      return n;
    } catch (NumberFormatException e) {
      throw Failure.of(Reason.NUMBER_TOO_LONG, "a number is out of range");
    }
  }

  private void checkNumberLength(int len) {
    if (len > maxNumber) {
      throw Failure.of(Reason.NUMBER_TOO_LONG, "a number is longer than " + maxNumber);
    }
  }

  private void checkName(String name) {
    if (name.length() > maxString) {
      throw Failure.of(Reason.STRING_TOO_LONG, "a field name is longer than " + maxString);
    }
  }

  private void checkDepth(int depth) {
    if (depth > maxDepth) {
      throw Failure.of(Reason.TOO_DEEP, "nesting is deeper than " + maxDepth);
    }
  }
}
