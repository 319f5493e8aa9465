package io.segmentredshift.spool;

import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventJson;
import io.segmentredshift.event.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One spooled event and the source it belongs to: the payload format of the spool's records, shared
 * by the webhook handler (which writes them) and the flusher (which reads them back).
 *
 * <p>The bytes are a tiny header followed by the event's canonical JSON ({@link EventJson}):
 *
 * <pre>
 * [version u8 = 1][source length u16, big-endian][source, UTF-8][EventJson bytes]
 * </pre>
 *
 * <p>The source is the name the authentication step resolved (a write key's source, or the
 * configured default source of webhook routes); the loader uses it to pick the target schema. The
 * version byte lets a later format be read next to this one after an upgrade; a reader refuses a
 * version it does not know rather than guessing.
 *
 * @param source the source (target schema) name, 1 to {@value #MAX_SOURCE_BYTES} bytes of UTF-8
 * @param event the event
 */
public record EventRecord(String source, Event event) {
  /** The format written by {@link #encode()}. */
  public static final int VERSION = 1;

  /** The longest source name, in bytes of UTF-8. */
  public static final int MAX_SOURCE_BYTES = 0xFFFF;

  private static final int HEADER_BYTES = 3;

  /** Checks both fields. */
  public EventRecord {
    Objects.requireNonNull(source, "source == null");
    Objects.requireNonNull(event, "event == null");
    if (source.isEmpty()) {
      throw new IllegalArgumentException("source is empty");
    }
  }

  /** The record's bytes, as {@link #decode(byte[])} reads them. */
  public byte[] encode() {
    return encode(source, event);
  }

  /** The bytes of a record holding {@code event} for {@code source}. */
  public static byte[] encode(String source, Event event) {
    Objects.requireNonNull(source, "source == null");
    Objects.requireNonNull(event, "event == null");
    byte[] name = source.getBytes(StandardCharsets.UTF_8);
    if (name.length == 0) {
      throw new IllegalArgumentException("source is empty");
    }
    if (name.length > MAX_SOURCE_BYTES) {
      throw new IllegalArgumentException(
          "source longer than " + MAX_SOURCE_BYTES + " bytes: " + name.length);
    }
    byte[] json = EventJson.write(event);
    byte[] out = new byte[HEADER_BYTES + name.length + json.length];
    out[0] = (byte) VERSION;
    out[1] = (byte) (name.length >>> 8);
    out[2] = (byte) name.length;
    System.arraycopy(name, 0, out, HEADER_BYTES, name.length);
    System.arraycopy(json, 0, out, HEADER_BYTES + name.length, json.length);
    return out;
  }

  /**
   * Reads a record written by {@link #encode()}.
   *
   * @throws SpoolException with {@link SpoolException.Reason#BAD_RECORD} when the bytes are not
   *     such a record (unknown version, short header, or an event that cannot be read); the message
   *     names what is wrong, never the event's content
   */
  public static EventRecord decode(byte[] record) {
    Objects.requireNonNull(record, "record == null");
    if (record.length < HEADER_BYTES) {
      throw bad("a record is shorter than its " + HEADER_BYTES + "-byte header: " + record.length);
    }
    int version = record[0] & 0xFF;
    if (version != VERSION) {
      throw bad("unknown record version " + version + ", this reader knows " + VERSION);
    }
    int nameLength = ((record[1] & 0xFF) << 8) | (record[2] & 0xFF);
    if (nameLength == 0 || HEADER_BYTES + nameLength > record.length) {
      throw bad("bad source length " + nameLength + " in a record of " + record.length + " bytes");
    }
    String source = new String(record, HEADER_BYTES, nameLength, StandardCharsets.UTF_8);
    int offset = HEADER_BYTES + nameLength;
    Event event;
    try {
      event = EventJson.read(record, offset, record.length - offset);
    } catch (MalformedEventException e) {
      throw new SpoolException(
          SpoolException.Reason.BAD_RECORD,
          "the event of a record cannot be read: " + e.reason(),
          null,
          e);
    }
    return new EventRecord(source, event);
  }

  private static SpoolException bad(String message) {
    return new SpoolException(SpoolException.Reason.BAD_RECORD, message, null);
  }

  /** The source only: the event may hold user data. */
  @Override
  public String toString() {
    return "EventRecord{source=" + source + "}";
  }
}
