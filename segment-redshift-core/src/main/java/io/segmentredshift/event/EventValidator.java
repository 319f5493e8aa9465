package io.segmentredshift.event;

import io.segmentredshift.event.MalformedEventException.Reason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Segment's rules for a message, shared by the parser and the direct loader API: {@link
 * #complete(Event, Instant)} fills in what Segment derives on receipt, {@link #validate(Event)}
 * checks what a loadable event must have.
 *
 * <p>Rules checked by {@link #validate(Event)}, each failing with a {@link MalformedEventException}
 * whose pointer names the field:
 *
 * <ul>
 *   <li>identify, track, page, screen, group: {@code userId} or {@code anonymousId} (Segment's
 *       {@code no_user_anon_id}); alias: {@code previousId} and {@code userId}; delete (a user
 *       deletion request): {@code userId};
 *   <li>track: {@code event}; group: {@code groupId};
 *   <li>{@code messageId} present and at most {@value #MAX_MESSAGE_ID_LENGTH} characters (UTF-16
 *       units); a longer one is refused ({@code MESSAGE_ID_TOO_LONG}) rather than replaced, since a
 *       replaced id would silently break deduplication against the client's own records;
 *   <li>{@code receivedAt} and {@code timestamp} present.
 * </ul>
 *
 * An empty string counts as absent in every rule.
 */
public final class EventValidator {
  /** Segment's limit on {@code messageId}. */
  public static final int MAX_MESSAGE_ID_LENGTH = 100;

  /** Every derived messageId starts with this, so it can be told from a client's own. */
  public static final String DERIVED_MESSAGE_ID_PREFIX = "sr-";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private EventValidator() {}

  /** Checks the rules above; throws {@link MalformedEventException} on the first broken one. */
  public static void validate(Event event) {
    Objects.requireNonNull(event, "event == null");
    try {
      check(event);
    } catch (Failure f) {
      throw f.toException(-1, -1);
    }
  }

  /**
   * The event with what Segment derives on receipt filled in, then {@linkplain #validate(Event)
   * validated}. Fields that are present are kept as they are (a message relayed by Segment already
   * carries them).
   *
   * <ul>
   *   <li>{@code messageId}, when absent or empty: {@link #derivedMessageId(Event)};
   *   <li>{@code receivedAt}, when absent: {@code receivedAt} given here;
   *   <li>{@code timestamp}, when absent: as Segment computes it, {@code receivedAt - (sentAt -
   *       originalTimestamp)}, which corrects the client's clock skew; without {@code sentAt} it is
   *       {@code originalTimestamp}; without {@code originalTimestamp} it is {@code receivedAt}. If
   *       the correction falls outside the range of {@link Instant}, {@code originalTimestamp}.
   * </ul>
   *
   * @throws MalformedEventException when a rule is broken
   */
  public static Event complete(Event event, Instant receivedAt) {
    Objects.requireNonNull(event, "event == null");
    Objects.requireNonNull(receivedAt, "receivedAt == null");
    try {
      return complete(event, receivedAt, false);
    } catch (Failure f) {
      throw f.toException(-1, -1);
    }
  }

  /**
   * The messageId of an event that has none: {@value #DERIVED_MESSAGE_ID_PREFIX} and the lowercase
   * hex SHA-256 of the event's canonical JSON ({@link EventJson#write(Event)}) without {@code
   * messageId}, {@code sentAt} and {@code receivedAt}. Those three change when a client or Segment
   * retries a delivery, the rest does not: a retried message gets the same id and is deduplicated.
   * Two messages that differ in any other field, or in the order of keys, get different ids.
   */
  public static String derivedMessageId(Event event) {
    Objects.requireNonNull(event, "event == null");
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    new JsonWriter().event(event, true).digest(sha256);
    byte[] hash = sha256.digest();
    char[] id = new char[DERIVED_MESSAGE_ID_PREFIX.length() + hash.length * 2];
    DERIVED_MESSAGE_ID_PREFIX.getChars(0, DERIVED_MESSAGE_ID_PREFIX.length(), id, 0);
    int i = DERIVED_MESSAGE_ID_PREFIX.length();
    for (byte b : hash) {
      id[i++] = HEX[(b >> 4) & 0xf];
      id[i++] = HEX[b & 0xf];
    }
    return new String(id);
  }

  /**
   * {@link #complete(Event, Instant)}; with {@code trackingApi}, first as Segment's Tracking API
   * reads a client's message: a {@code timestamp} without {@code originalTimestamp} is the client's
   * clock, so it becomes {@code originalTimestamp} and {@code timestamp} is computed.
   */
  static Event complete(Event event, Instant now, boolean trackingApi) {
    String id = event.messageId();
    String derived = id == null || id.isEmpty() ? derivedMessageId(event) : null;
    Instant timestamp = event.timestamp();
    Instant original = event.originalTimestamp();
    if (trackingApi && original == null && timestamp != null) {
      original = timestamp;
      timestamp = null;
    }
    Instant received = event.receivedAt() == null ? now : event.receivedAt();
    if (timestamp == null) {
      timestamp = timestamp(received, event.sentAt(), original);
    }
    Event result = event;
    if (derived != null
        || timestamp != event.timestamp()
        || original != event.originalTimestamp()
        || received != event.receivedAt()) {
      Event.Builder b =
          event.toBuilder().timestamp(timestamp).originalTimestamp(original).receivedAt(received);
      if (derived != null) {
        b.messageId(derived);
      }
      result = b.build();
    }
    check(result);
    return result;
  }

  /** Segment's {@code timestamp} (see {@link #complete(Event, Instant)}). */
  static Instant timestamp(Instant receivedAt, Instant sentAt, Instant originalTimestamp) {
    if (originalTimestamp == null) {
      return receivedAt;
    }
    if (sentAt == null) {
      return originalTimestamp;
    }
    try {
      return receivedAt.minus(Duration.between(originalTimestamp, sentAt));
    } catch (DateTimeException outOfRange) {
      return originalTimestamp;
    }
  }

  static void check(Event e) {
    switch (e.type()) {
      case DELETE -> require(e.userId(), "userId");
      case ALIAS -> {
        require(e.previousId(), "previousId");
        require(e.userId(), "userId");
      }
      default -> {
        if (absent(e.userId()) && absent(e.anonymousId())) {
          throw Failure.of(Reason.MISSING_FIELD, "userId or anonymousId is required").in("userId");
        }
      }
    }
    if (e.type() == EventType.TRACK) {
      require(e.event(), "event");
    } else if (e.type() == EventType.GROUP) {
      require(e.groupId(), "groupId");
    }
    require(e.messageId(), "messageId");
    if (e.messageId().length() > MAX_MESSAGE_ID_LENGTH) {
      throw Failure.of(
              Reason.MESSAGE_ID_TOO_LONG, "is longer than " + MAX_MESSAGE_ID_LENGTH + " characters")
          .in("messageId");
    }
    if (e.receivedAt() == null) {
      throw Failure.of(Reason.MISSING_FIELD, "receivedAt is required").in("receivedAt");
    }
    if (e.timestamp() == null) {
      throw Failure.of(Reason.MISSING_FIELD, "timestamp is required").in("timestamp");
    }
  }

  private static void require(String value, String field) {
    if (absent(value)) {
      throw Failure.of(Reason.MISSING_FIELD, field + " is required").in(field);
    }
  }

  private static boolean absent(String value) {
    return value == null || value.isEmpty();
  }
}
