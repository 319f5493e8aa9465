package io.segmentredshift;

import io.segmentredshift.event.Event;
import io.segmentredshift.load.LoadPipeline;
import io.segmentredshift.webhook.EventSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook's sink of an instance without a spool: each request's events are loaded as one batch
 * on a small pool of loader threads, and the future completes after the commit, on the loader
 * thread (never on the caller's, which is an event loop or a container thread). A request that
 * finds every thread busy and the queue full is refused (503, which Segment retries).
 */
final class SynchronousSink implements EventSink {
  /** Loads at once; the merges of one schema queue on its table locks anyway. */
  static final int THREADS = 2;

  /** Requests waiting for a loader; each holds its parsed events (at most 500 KB of JSON). */
  static final int QUEUE = 32;

  private final SegmentRedshift owner;
  private final ThreadPoolExecutor executor;

  SynchronousSink(SegmentRedshift owner) {
    this.owner = owner;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, owner.name() + "-loader-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public CompletableFuture<Void> accept(String source, List<Event> events) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              owner.loadNow(source, LoadPipeline.newBatchId(), events);
              done.complete(null);
            } catch (RuntimeException | Error e) {
              done.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      done.completeExceptionally(
          new SegmentRedshiftException(
              "[" + owner.name() + "] every loader is busy; try again later", e));
    }
    return done;
  }

  /** Lets the loads under way finish, for up to {@code timeout}. */
  boolean close(Duration timeout) {
    executor.shutdown();
    try {
      return executor.awaitTermination(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    return "SynchronousSink[" + owner.name() + "]";
  }
}
