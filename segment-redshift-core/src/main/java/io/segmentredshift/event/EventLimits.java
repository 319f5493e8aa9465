package io.segmentredshift.event;

/**
 * The limits an {@link EventParser} enforces while it reads. Immutable; each {@code withX} returns
 * a copy.
 *
 * <p>{@link #defaults()} are Segment's Tracking API limits: 32 KB (32,768 bytes) per event, 500 KB
 * (512,000 bytes) per request and 2,500 events per batch; plus nesting depth 64, strings (and field
 * names) of at most 32,768 characters and numbers of at most 1,000 characters.
 *
 * <p>Segment's Webhooks (Actions) destination may send up to 4,000 events per request when batching
 * is enabled ({@code batch_size}): raise {@link #withMaxBatchEvents(int)} and {@link
 * #withMaxRequestBytes(int)} to match, or Segment's batches are refused. Messages in Segment's S3
 * archive carry what Segment added on receipt and can be slightly larger than 32 KB: raise {@link
 * #withMaxEventBytes(int)} for a backfill.
 */
public final class EventLimits {
  /** The deepest nesting this library accepts at all; the parser recurses once per level. */
  public static final int DEPTH_CEILING = 1000;

  private static final EventLimits DEFAULTS =
      new EventLimits(32 * 1024, 500 * 1024, 2500, 64, 32 * 1024, 1000);

  private final int maxEventBytes;
  private final int maxRequestBytes;
  private final int maxBatchEvents;
  private final int maxDepth;
  private final int maxStringLength;
  private final int maxNumberLength;

  private EventLimits(
      int maxEventBytes,
      int maxRequestBytes,
      int maxBatchEvents,
      int maxDepth,
      int maxStringLength,
      int maxNumberLength) {
    this.maxEventBytes = maxEventBytes;
    this.maxRequestBytes = maxRequestBytes;
    this.maxBatchEvents = maxBatchEvents;
    this.maxDepth = maxDepth;
    this.maxStringLength = maxStringLength;
    this.maxNumberLength = maxNumberLength;
  }

  /** Segment's limits (see the class description). */
  public static EventLimits defaults() {
    return DEFAULTS;
  }

  /** The largest event, in bytes of JSON as received: a single body, a batch item, a line. */
  public int maxEventBytes() {
    return maxEventBytes;
  }

  /** The largest request body in bytes. Does not apply to NDJSON streams, which have no end. */
  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  /** The most events in one batch or array body. */
  public int maxBatchEvents() {
    return maxBatchEvents;
  }

  /** The deepest nesting of objects and arrays in an event; the event object itself is 1. */
  public int maxDepth() {
    return maxDepth;
  }

  /** The longest string value or field name, in UTF-16 characters. */
  public int maxStringLength() {
    return maxStringLength;
  }

  /** The longest number, in characters as written and in plain decimal form. */
  public int maxNumberLength() {
    return maxNumberLength;
  }

  /** A copy with a different {@link #maxEventBytes()}. */
  public EventLimits withMaxEventBytes(int maxEventBytes) {
    positive(maxEventBytes, "maxEventBytes");
    return new EventLimits(
        maxEventBytes, maxRequestBytes, maxBatchEvents, maxDepth, maxStringLength, maxNumberLength);
  }

  /** A copy with a different {@link #maxRequestBytes()}. */
  public EventLimits withMaxRequestBytes(int maxRequestBytes) {
    positive(maxRequestBytes, "maxRequestBytes");
    return new EventLimits(
        maxEventBytes, maxRequestBytes, maxBatchEvents, maxDepth, maxStringLength, maxNumberLength);
  }

  /** A copy with a different {@link #maxBatchEvents()}. */
  public EventLimits withMaxBatchEvents(int maxBatchEvents) {
    positive(maxBatchEvents, "maxBatchEvents");
    return new EventLimits(
        maxEventBytes, maxRequestBytes, maxBatchEvents, maxDepth, maxStringLength, maxNumberLength);
  }

  /** A copy with a different {@link #maxDepth()}, at most {@value #DEPTH_CEILING}. */
  public EventLimits withMaxDepth(int maxDepth) {
    positive(maxDepth, "maxDepth");
    if (maxDepth > DEPTH_CEILING) {
      throw new IllegalArgumentException("maxDepth > " + DEPTH_CEILING + ": " + maxDepth);
    }
    return new EventLimits(
        maxEventBytes, maxRequestBytes, maxBatchEvents, maxDepth, maxStringLength, maxNumberLength);
  }

  /** A copy with a different {@link #maxStringLength()}. */
  public EventLimits withMaxStringLength(int maxStringLength) {
    positive(maxStringLength, "maxStringLength");
    return new EventLimits(
        maxEventBytes, maxRequestBytes, maxBatchEvents, maxDepth, maxStringLength, maxNumberLength);
  }

  /** A copy with a different {@link #maxNumberLength()}. */
  public EventLimits withMaxNumberLength(int maxNumberLength) {
    positive(maxNumberLength, "maxNumberLength");
    return new EventLimits(
        maxEventBytes, maxRequestBytes, maxBatchEvents, maxDepth, maxStringLength, maxNumberLength);
  }

  private static void positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " <= 0: " + value);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventLimits other
        && maxEventBytes == other.maxEventBytes
        && maxRequestBytes == other.maxRequestBytes
        && maxBatchEvents == other.maxBatchEvents
        && maxDepth == other.maxDepth
        && maxStringLength == other.maxStringLength
        && maxNumberLength == other.maxNumberLength;
  }

  @Override
  public int hashCode() {
    int h = maxEventBytes;
    h = 31 * h + maxRequestBytes;
    h = 31 * h + maxBatchEvents;
    h = 31 * h + maxDepth;
    h = 31 * h + maxStringLength;
    return 31 * h + maxNumberLength;
  }

  @Override
  public String toString() {
    return "EventLimits{maxEventBytes="
        + maxEventBytes
        + ", maxRequestBytes="
        + maxRequestBytes
        + ", maxBatchEvents="
        + maxBatchEvents
        + ", maxDepth="
        + maxDepth
        + ", maxStringLength="
        + maxStringLength
        + ", maxNumberLength="
        + maxNumberLength
        + "}";
  }
}
