package io.segmentredshift.spool;

import io.segmentredshift.SegmentRedshiftException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A spool operation that failed, with a machine-readable {@link Reason} and, where waiting can
 * help, a suggested delay before the sender retries (what an HTTP layer puts in {@code
 * Retry-After}).
 */
public final class SpoolException extends SegmentRedshiftException {
  private static final long serialVersionUID = 1L;

  /** Why a spool operation failed. */
  public enum Reason {
    /**
     * Accepting the append would exceed the spool's byte budget on disk. Nothing was written; the
     * sender may retry after {@link #retryAfter()} (HTTP 503).
     */
    SPOOL_FULL,
    /** The spool is closed or closing. Nothing was written (HTTP 503). */
    CLOSED,
    /** A record exceeds the configured maximum record size. Retrying cannot help (HTTP 413). */
    RECORD_TOO_LARGE,
    /**
     * Writing, syncing or reading a segment failed. An append that fails this way was not
     * acknowledged and may be retried (HTTP 503).
     */
    IO_ERROR,
    /** Another spool, in this or another process, holds the directory. */
    DIRECTORY_LOCKED,
    /**
     * A record's payload cannot be decoded as an {@link EventRecord}: an unknown format version or
     * a damaged header or event. Retrying cannot help.
     */
    BAD_RECORD
  }

  private final Reason reason;
  private final Duration retryAfter;

  SpoolException(Reason reason, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason == null");
    this.retryAfter = retryAfter;
  }

  SpoolException(Reason reason, String message, Duration retryAfter) {
    this(reason, message, retryAfter, null);
  }

  /** Why the operation failed. */
  public Reason reason() {
    return reason;
  }

  /** How long the sender should wait before retrying, when waiting can help. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
