package io.segmentredshift.webhook;

import io.segmentredshift.event.Event;
import io.segmentredshift.spool.Spool;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link WebhookHandler} puts the events of an accepted request. The handler answers 2xx
 * only after the returned future has completed normally, so an implementation completes it only
 * once the events are durable.
 *
 * <p>{@link #spool(Spool)} is the ready implementation: the events go to the local spool and the
 * future completes when the fsync covering them has returned.
 */
@FunctionalInterface
public interface EventSink {
  /**
   * Stores {@code events} for {@code source} and returns a future that completes normally once they
   * are durable, or exceptionally if they were not stored. It must not block: it is called on the
   * transport's thread (an event loop, a container thread). Dependent stages of the future run on
   * the thread that completes it.
   *
   * <p>How a failure is answered: a {@link io.segmentredshift.spool.SpoolException} with {@code
   * SPOOL_FULL}, {@code CLOSED} or {@code IO_ERROR} gives 503 with {@code Retry-After} (Segment
   * retries it), {@code RECORD_TOO_LARGE} gives 413; any other exception gives 503.
   *
   * @param source the source (target schema) that authentication resolved
   * @param events the valid events of one request, in request order; never empty
   */
  CompletableFuture<Void> accept(String source, List<Event> events);

  /**
   * A sink that appends each event to {@code spool} as an {@link
   * io.segmentredshift.spool.EventRecord}, all events of one request in one append.
   */
  static EventSink spool(Spool spool) {
    return new SpoolSink(spool);
  }
}
