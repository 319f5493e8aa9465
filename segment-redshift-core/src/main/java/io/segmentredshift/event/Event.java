package io.segmentredshift.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One Segment message: an identify, track, page, screen, group or alias call, or a user deletion
 * request. Immutable.
 *
 * <p>Every field of the input is kept. The Spec's fields have accessors; {@link #traits()}, {@link
 * #properties()}, {@link #context()} and {@link #integrations()} are JSON objects; any other
 * top-level field is in {@link #extras()}. JSON values are plain Java objects, deeply immutable:
 * {@code null}, {@link String}, {@link Boolean}, {@link Long}, {@link java.math.BigInteger}, {@link
 * Double}, {@link java.math.BigDecimal}, {@link java.util.List} and {@link Map} (String keys in
 * input order). An integer is a Long when it fits, else a BigInteger; any other number is a Double
 * when a double holds its decimal value exactly, else a BigDecimal, so no number is rounded. Fields
 * absent from the input are {@code null}; the four object accessors return empty maps instead.
 *
 * <p>{@link EventJson} reads and writes the canonical JSON of an event; {@link EventParser} reads
 * Segment's wire formats; {@link EventValidator} holds Segment's rules.
 *
 * <pre>{@code
 * Event event = Event.builder(EventType.TRACK)
 *     .messageId("m-1")
 *     .userId("u-1")
 *     .event("Order Completed")
 *     .properties(Map.of("total", 27.5))
 *     .timestamp(Instant.parse("2024-03-05T10:11:12Z"))
 *     .build();
 * }</pre>
 */
public final class Event {
  /** The top-level fields that have their own accessor; {@link #extras()} holds the others. */
  static final Set<String> SPEC_FIELDS =
      Set.of(
          "type",
          "messageId",
          "anonymousId",
          "userId",
          "timestamp",
          "originalTimestamp",
          "sentAt",
          "receivedAt",
          "event",
          "name",
          "category",
          "groupId",
          "previousId",
          "traits",
          "properties",
          "context",
          "integrations",
          "version",
          "channel",
          "writeKey");

  private final EventType type;
  private final String messageId;
  private final String anonymousId;
  private final String userId;
  private final Instant timestamp;
  private final Instant originalTimestamp;
  private final Instant sentAt;
  private final Instant receivedAt;
  private final String event;
  private final String name;
  private final String category;
  private final String groupId;
  private final String previousId;
  private final Map<String, Object> traits;
  private final Map<String, Object> properties;
  private final Map<String, Object> context;
  private final Map<String, Object> integrations;
  private final Object version;
  private final String channel;
  private final String writeKey;
  private final Map<String, Object> extras;

  private Event(Builder b) {
    this.type = b.type;
    this.messageId = b.messageId;
    this.anonymousId = b.anonymousId;
    this.userId = b.userId;
    this.timestamp = b.timestamp;
    this.originalTimestamp = b.originalTimestamp;
    this.sentAt = b.sentAt;
    this.receivedAt = b.receivedAt;
    this.event = b.event;
    this.name = b.name;
    this.category = b.category;
    this.groupId = b.groupId;
    this.previousId = b.previousId;
    this.traits = b.traits;
    this.properties = b.properties;
    this.context = b.context;
    this.integrations = b.integrations;
    this.version = b.version;
    this.channel = b.channel;
    this.writeKey = b.writeKey;
    this.extras = b.extras;
  }

  /** A builder for an event of the given type. */
  public static Builder builder(EventType type) {
    return new Builder(Objects.requireNonNull(type, "type == null"));
  }

  /** A builder that starts with every field of this event. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The call type ({@code type}). */
  public EventType type() {
    return type;
  }

  /** {@code messageId}: unique per message, the dedup key (column {@code id}). */
  public String messageId() {
    return messageId;
  }

  /** {@code anonymousId}, or null. */
  public String anonymousId() {
    return anonymousId;
  }

  /** {@code userId}, or null. */
  public String userId() {
    return userId;
  }

  /** {@code timestamp}: when the event happened, skew-corrected; or null. */
  public Instant timestamp() {
    return timestamp;
  }

  /** {@code originalTimestamp}: the client's clock at the call; or null. */
  public Instant originalTimestamp() {
    return originalTimestamp;
  }

  /** {@code sentAt}: the client's clock when the request was sent; or null. */
  public Instant sentAt() {
    return sentAt;
  }

  /** {@code receivedAt}: when the event was received (by Segment, or by this library). */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** {@code event}: the name of a track call, or null. */
  public String event() {
    return event;
  }

  /** {@code name}: the name of a page or screen, or null. */
  public String name() {
    return name;
  }

  /** {@code category}: the category of a page, or null. */
  public String category() {
    return category;
  }

  /** {@code groupId}: the account of a group call, or null. */
  public String groupId() {
    return groupId;
  }

  /** {@code previousId}: the old id of an alias call, or null. */
  public String previousId() {
    return previousId;
  }

  /** {@code traits} of an identify or group call; empty when absent. */
  public Map<String, Object> traits() {
    return traits;
  }

  /** {@code properties} of a track, page or screen call; empty when absent. */
  public Map<String, Object> properties() {
    return properties;
  }

  /** {@code context}; empty when absent. */
  public Map<String, Object> context() {
    return context;
  }

  /** {@code integrations}; empty when absent. */
  public Map<String, Object> integrations() {
    return integrations;
  }

  /** {@code version} as sent (a number or a string), or null. */
  public Object version() {
    return version;
  }

  /** {@code channel} ({@code server}, {@code browser}, {@code mobile}), or null. */
  public String channel() {
    return channel;
  }

  /** {@code writeKey} as sent in the body, or null. */
  public String writeKey() {
    return writeKey;
  }

  /** Every other top-level field of the input, in input order; empty when there are none. */
  public Map<String, Object> extras() {
    return extras;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Event other)) {
      return false;
    }
    return type == other.type
        && Objects.equals(messageId, other.messageId)
        && Objects.equals(anonymousId, other.anonymousId)
        && Objects.equals(userId, other.userId)
        && Objects.equals(timestamp, other.timestamp)
        && Objects.equals(originalTimestamp, other.originalTimestamp)
        && Objects.equals(sentAt, other.sentAt)
        && Objects.equals(receivedAt, other.receivedAt)
        && Objects.equals(event, other.event)
        && Objects.equals(name, other.name)
        && Objects.equals(category, other.category)
        && Objects.equals(groupId, other.groupId)
        && Objects.equals(previousId, other.previousId)
        && traits.equals(other.traits)
        && properties.equals(other.properties)
        && context.equals(other.context)
        && integrations.equals(other.integrations)
        && Objects.equals(version, other.version)
        && Objects.equals(channel, other.channel)
        && Objects.equals(writeKey, other.writeKey)
        && extras.equals(other.extras);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, messageId, userId, anonymousId, timestamp, receivedAt, event);
  }

  /** Type and messageId only: values from user data stay out of logs. */
  @Override
  public String toString() {
    return "Event{" + type.wireName() + ", messageId=" + messageId + "}";
  }

  /** Builds an {@link Event}. Map arguments are deep-copied into immutable maps. */
  public static final class Builder {
    private static final Map<String, Object> EMPTY = Map.of();

    private EventType type;
    private String messageId;
    private String anonymousId;
    private String userId;
    private Instant timestamp;
    private Instant originalTimestamp;
    private Instant sentAt;
    private Instant receivedAt;
    private String event;
    private String name;
    private String category;
    private String groupId;
    private String previousId;
    private Map<String, Object> traits = EMPTY;
    private Map<String, Object> properties = EMPTY;
    private Map<String, Object> context = EMPTY;
    private Map<String, Object> integrations = EMPTY;
    private Object version;
    private String channel;
    private String writeKey;
    private Map<String, Object> extras = EMPTY;

    private Builder(EventType type) {
      this.type = type;
    }

    private Builder(Event e) {
      this.type = e.type;
      this.messageId = e.messageId;
      this.anonymousId = e.anonymousId;
      this.userId = e.userId;
      this.timestamp = e.timestamp;
      this.originalTimestamp = e.originalTimestamp;
      this.sentAt = e.sentAt;
      this.receivedAt = e.receivedAt;
      this.event = e.event;
      this.name = e.name;
      this.category = e.category;
      this.groupId = e.groupId;
      this.previousId = e.previousId;
      this.traits = e.traits;
      this.properties = e.properties;
      this.context = e.context;
      this.integrations = e.integrations;
      this.version = e.version;
      this.channel = e.channel;
      this.writeKey = e.writeKey;
      this.extras = e.extras;
    }

    /** Sets {@code type}. */
    public Builder type(EventType type) {
      this.type = Objects.requireNonNull(type, "type == null");
      return this;
    }

    /** Sets {@code messageId}. */
    public Builder messageId(String messageId) {
      this.messageId = messageId;
      return this;
    }

    /** Sets {@code anonymousId}. */
    public Builder anonymousId(String anonymousId) {
      this.anonymousId = anonymousId;
      return this;
    }

    /** Sets {@code userId}. */
    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    /** Sets {@code timestamp}. */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** Sets {@code originalTimestamp}. */
    public Builder originalTimestamp(Instant originalTimestamp) {
      this.originalTimestamp = originalTimestamp;
      return this;
    }

    /** Sets {@code sentAt}. */
    public Builder sentAt(Instant sentAt) {
      this.sentAt = sentAt;
      return this;
    }

    /** Sets {@code receivedAt}. */
    public Builder receivedAt(Instant receivedAt) {
      this.receivedAt = receivedAt;
      return this;
    }

    /** Sets {@code event}, the name of a track call. */
    public Builder event(String event) {
      this.event = event;
      return this;
    }

    /** Sets {@code name}, the name of a page or screen. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Sets {@code category}. */
    public Builder category(String category) {
      this.category = category;
      return this;
    }

    /** Sets {@code groupId}. */
    public Builder groupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    /** Sets {@code previousId}. */
    public Builder previousId(String previousId) {
      this.previousId = previousId;
      return this;
    }

    /** Sets {@code traits} (deep-copied; null means absent). */
    public Builder traits(Map<String, ?> traits) {
      this.traits = object(traits, "traits");
      return this;
    }

    /** Sets {@code properties} (deep-copied; null means absent). */
    public Builder properties(Map<String, ?> properties) {
      this.properties = object(properties, "properties");
      return this;
    }

    /** Sets {@code context} (deep-copied; null means absent). */
    public Builder context(Map<String, ?> context) {
      this.context = object(context, "context");
      return this;
    }

    /** Sets {@code integrations} (deep-copied; null means absent). */
    public Builder integrations(Map<String, ?> integrations) {
      this.integrations = object(integrations, "integrations");
      return this;
    }

    /** Sets {@code version} (a number or a string). */
    public Builder version(Object version) {
      this.version = JsonValues.copy(version, "version");
      return this;
    }

    /** Sets {@code channel}. */
    public Builder channel(String channel) {
      this.channel = channel;
      return this;
    }

    /** Sets {@code writeKey}. */
    public Builder writeKey(String writeKey) {
      this.writeKey = writeKey;
      return this;
    }

    /**
     * Sets the other top-level fields (deep-copied; null means none). A key that names a field with
     * its own setter (such as {@code userId}) is refused: the event would hold it twice.
     */
    public Builder extras(Map<String, ?> extras) {
      if (extras != null) {
        for (String key : extras.keySet()) {
          if (key != null && SPEC_FIELDS.contains(key)) {
            throw new IllegalArgumentException("extras has a Spec field: " + key);
          }
        }
      }
      this.extras = object(extras, "extras");
      return this;
    }

    /**
     * Sets the four objects and the extras without copying. Only for the parser of this package,
     * which builds deeply immutable maps itself; null means absent.
     */
    Builder objectsUnchecked(
        Map<String, Object> traits,
        Map<String, Object> properties,
        Map<String, Object> context,
        Map<String, Object> integrations,
        Map<String, Object> extras) {
      this.traits = traits == null ? EMPTY : traits;
      this.properties = properties == null ? EMPTY : properties;
      this.context = context == null ? EMPTY : context;
      this.integrations = integrations == null ? EMPTY : integrations;
      this.extras = extras == null ? EMPTY : extras;
      return this;
    }

    private static Map<String, Object> object(Map<String, ?> value, String path) {
      Map<String, Object> copy = JsonValues.copyObject(value, path);
      return copy == null ? EMPTY : copy;
    }

    /**
     * The event. No Spec rule is checked here (the parser validates input); the direct loader API
     * validates what it is given before loading.
     */
    public Event build() {
      return new Event(this);
    }
  }
}
