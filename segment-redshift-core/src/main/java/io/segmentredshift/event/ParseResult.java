package io.segmentredshift.event;

import java.util.List;

/**
 * What a batch, an array body or a stretch of an NDJSON stream held: the valid events, and each
 * rejected message with its reason and its {@linkplain MalformedEventException#index() index} or
 * {@linkplain MalformedEventException#line() line}. Both lists are in input order.
 *
 * <p>How to answer an HTTP request with it is described in the {@linkplain io.segmentredshift.event
 * package documentation}: 200 when at least one event is valid or the batch is empty, 400 when
 * every message was rejected.
 *
 * @param events the valid events, completed (messageId, receivedAt and timestamp filled in)
 * @param rejected the messages that were not valid, one exception each
 * @param writeKey the {@code writeKey} at the top of a Tracking API batch body, or null
 */
public record ParseResult(
    List<Event> events, List<MalformedEventException> rejected, String writeKey) {
  /** Copies both lists, which must not hold nulls. */
  public ParseResult {
    events = List.copyOf(events);
    rejected = List.copyOf(rejected);
  }

  /** True when there were messages and every one was rejected: the request answers 400. */
  public boolean allRejected() {
    return events.isEmpty() && !rejected.isEmpty();
  }

  /** Counts only: the events and errors may hold user data. */
  @Override
  public String toString() {
    return "ParseResult{events=" + events.size() + ", rejected=" + rejected.size() + "}";
  }
}
