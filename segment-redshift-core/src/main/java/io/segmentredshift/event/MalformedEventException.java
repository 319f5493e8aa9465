package io.segmentredshift.event;

import io.segmentredshift.SegmentRedshiftException;

/**
 * Input that is not a valid Segment message, or a request body that cannot be read as one. The
 * {@link #reason()} says what is wrong; {@link #pointer()}, {@link #index()} and {@link #line()}
 * say where.
 *
 * <p>The message names the reason and the location, never a value from the payload: a field name
 * can appear in the pointer, its value never does. No exception of the JSON library is attached as
 * a cause.
 */
public final class MalformedEventException extends SegmentRedshiftException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_SEGMENT_IN_MESSAGE = 64;

  /** What is wrong, machine-readable. */
  public enum Reason {
    /** The body is not JSON at all: empty, a syntax error, or content after the JSON value. */
    NOT_JSON,
    /** The JSON ends in the middle of a value (or a gzip stream ends early). */
    TRUNCATED,
    /** The bytes are not UTF-8 (an invalid sequence, or a UTF-16/UTF-32 body). */
    INVALID_UTF8,
    /** An event or a request is larger than {@link EventLimits} allow. */
    TOO_LARGE,
    /** Objects and arrays are nested deeper than {@link EventLimits#maxDepth()}. */
    TOO_DEEP,
    /** A string or a field name is longer than {@link EventLimits#maxStringLength()}. */
    STRING_TOO_LONG,
    /**
     * A number is longer than {@link EventLimits#maxNumberLength()}, as written or in plain decimal
     * form, or its exponent is out of range.
     */
    NUMBER_TOO_LONG,
    /** A batch holds more events than {@link EventLimits#maxBatchEvents()}. */
    TOO_MANY_EVENTS,
    /** A message (or a Tracking API batch body) is not a JSON object. */
    NOT_AN_OBJECT,
    /** {@code type} is not one of the accepted types. */
    UNKNOWN_TYPE,
    /** {@code type} contradicts the Tracking API route the message was posted to. */
    TYPE_MISMATCH,
    /** A required field is absent, null or empty. */
    MISSING_FIELD,
    /** A field of the Segment Spec has the wrong JSON type (e.g. {@code userId} is an object). */
    WRONG_FIELD_TYPE,
    /** A timestamp field is not an ISO-8601 date-time. */
    BAD_TIMESTAMP,
    /** {@code messageId} is longer than Segment's 100 characters. */
    MESSAGE_ID_TOO_LONG,
    /** A gzip stream is corrupt. */
    BAD_COMPRESSION
  }

  private final Reason reason;
  private final String detail;
  private final String pointer;
  private final int index;
  private final long line;

  MalformedEventException(Reason reason, String detail, String pointer, int index, long line) {
    super(render(reason, detail, pointer, index, line));
    this.reason = reason;
    this.detail = detail;
    this.pointer = pointer;
    this.index = index;
    this.line = line;
  }

  /** What is wrong. */
  public Reason reason() {
    return reason;
  }

  /**
   * Where in the message, as a JSON pointer (RFC 6901) relative to the message ({@code "/userId"},
   * {@code "/properties/items/0"}); for errors of a whole request body, relative to the body
   * ({@code "/batch"}). Empty when the error concerns the message or body as a whole.
   */
  public String pointer() {
    return pointer;
  }

  /** The 0-based position of the message in a batch or array body, or -1 outside a batch. */
  public int index() {
    return index;
  }

  /** The 1-based line of an NDJSON stream, or -1 outside a stream. */
  public long line() {
    return line;
  }

  /** The description without the location, e.g. {@code "must be a string"}. */
  public String detail() {
    return detail;
  }

  MalformedEventException atIndex(int newIndex) {
    return new MalformedEventException(reason, detail, pointer, newIndex, line);
  }

  MalformedEventException atLine(long newLine) {
    return new MalformedEventException(reason, detail, pointer, index, newLine);
  }

  private static String render(Reason reason, String detail, String pointer, int index, long line) {
    StringBuilder b = new StringBuilder(64).append(reason).append(": ").append(detail);
    String sep = " (";
    if (!pointer.isEmpty()) {
      b.append(sep).append("at ");
      appendSafe(b, pointer);
      sep = ", ";
    }
    if (index >= 0) {
      b.append(sep).append("item ").append(index);
      sep = ", ";
    }
    if (line >= 0) {
      b.append(sep).append("line ").append(line);
      sep = ", ";
    }
    if (!sep.equals(" (")) {
      b.append(')');
    }
    return b.toString();
  }

  /**
   * Field names come from the payload: in the message, each pointer segment is cut to a bounded
   * length and control characters are escaped, so a name cannot flood or forge a log line.
   */
  private static void appendSafe(StringBuilder b, String pointer) {
    int segment = 0;
    for (int i = 0; i < pointer.length(); i++) {
      char c = pointer.charAt(i);
      if (c == '/') {
        segment = 0;
        b.append(c);
        continue;
      }
      if (++segment > MAX_SEGMENT_IN_MESSAGE) {
        if (segment == MAX_SEGMENT_IN_MESSAGE + 1) {
          b.append("...");
        }
        continue;
      }
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
  }
}
