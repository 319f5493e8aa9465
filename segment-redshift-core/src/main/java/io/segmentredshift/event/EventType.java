package io.segmentredshift.event;

import java.util.Optional;

/**
 * The kind of a Segment message: the six calls of the Segment Spec, and a user deletion request.
 */
public enum EventType {
  IDENTIFY("identify"),
  TRACK("track"),
  PAGE("page"),
  SCREEN("screen"),
  GROUP("group"),
  ALIAS("alias"),
  /**
   * A user deletion request that Segment's classic Webhooks destination sends as {@code {"type":
   * "delete", "userId": ...}}. It is recognised, never loaded as an event row.
   */
  DELETE("delete");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The value of the {@code type} field, e.g. {@code "track"}. */
  public String wireName() {
    return wireName;
  }

  /** The type whose wire name is {@code name} (exact, lowercase), if any. */
  public static Optional<EventType> fromWireName(String name) {
    for (EventType type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
