package io.segmentredshift;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * When the flusher loads what the spool holds, and how patiently it retries.
 *
 * @param batchSize the most events per load
 * @param batchBytes the most spooled bytes per load (the records' size on disk, about the size of
 *     the events' JSON); a single record larger than this still makes a batch of its own
 * @param flushInterval the longest an acknowledged event waits before its load starts, unless the
 *     warehouse is down
 * @param backoff the waits between failed loads of one batch ({@link RetryPolicy#backoff}); its
 *     attempt count is not used: the flusher retries until the batch commits or close stops it
 */
record FlushPolicy(int batchSize, long batchBytes, Duration flushInterval, RetryPolicy backoff) {
  /** The default waits between failed loads: from 1 s, doubling, at most 30 s, with jitter. */
  static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);

  /** See {@link #INITIAL_BACKOFF}. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  FlushPolicy {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize <= 0: " + batchSize);
    }
    if (batchBytes <= 0) {
      throw new IllegalArgumentException("batchBytes <= 0: " + batchBytes);
    }
    Objects.requireNonNull(flushInterval, "flushInterval == null");
    Objects.requireNonNull(backoff, "backoff == null");
  }

  /**
   * The defaults for {@code dialect}. PostgreSQL: a load every 2 s, or at 10,000 events or 16 MiB,
   * whichever comes first. Redshift, where every COPY costs seconds and prefers files of a megabyte
   * or more per slice: every minute, or at 25,000 events or 32 MiB.
   */
  static FlushPolicy defaults(Dialect dialect) {
    RetryPolicy backoff =
        RetryPolicy.builder().initialBackoff(INITIAL_BACKOFF).maxBackoff(MAX_BACKOFF).build();
    return dialect == Dialect.redshift()
        ? new FlushPolicy(25_000, 32L << 20, Duration.ofMinutes(1), backoff)
        : new FlushPolicy(10_000, 16L << 20, Duration.ofSeconds(2), backoff);
  }
}
