package io.segmentredshift.spool;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of a {@link Spool}. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods.
 *
 * @param maxSegmentBytes a segment is sealed before an append would take it past this size (an
 *     append larger than this on its own gets a segment of its own); default 64 MiB
 * @param maxSegmentAge a segment is sealed this long after its first record was written; default 10
 *     s
 * @param maxTotalBytes the budget for all segment files, including appends still queued; an append
 *     that would exceed it is refused with {@link SpoolException.Reason#SPOOL_FULL}; default 1 GiB
 * @param maxRecordBytes the largest payload one record may have, at most 64 MiB; default 1 MiB
 * @param retryAfter the delay suggested to senders refused because the spool is full or closed;
 *     default 30 s
 * @param fsync whether each batch is forced to disk before its appends complete; default {@code
 *     true}. Turning it off breaks the promise that a completed append survives a crash of the
 *     machine (a crash of the process alone still keeps it); use it only in tests.
 */
public record SpoolConfig(
    long maxSegmentBytes,
    Duration maxSegmentAge,
    long maxTotalBytes,
    int maxRecordBytes,
    Duration retryAfter,
    boolean fsync) {

  private static final SpoolConfig DEFAULTS =
      new SpoolConfig(
          64L << 20, Duration.ofSeconds(10), 1L << 30, 1 << 20, Duration.ofSeconds(30), true);

  /** Checks every limit. */
  public SpoolConfig {
    if (maxSegmentBytes <= 0) {
      throw new IllegalArgumentException("maxSegmentBytes <= 0: " + maxSegmentBytes);
    }
    Objects.requireNonNull(maxSegmentAge, "maxSegmentAge == null");
    if (maxSegmentAge.isNegative() || maxSegmentAge.isZero()) {
      throw new IllegalArgumentException("maxSegmentAge <= 0: " + maxSegmentAge);
    }
    if (maxTotalBytes <= 0) {
      throw new IllegalArgumentException("maxTotalBytes <= 0: " + maxTotalBytes);
    }
    if (maxRecordBytes <= 0) {
      throw new IllegalArgumentException("maxRecordBytes <= 0: " + maxRecordBytes);
    }
    if (maxRecordBytes > SegmentFormat.MAX_RECORD_BYTES) {
      throw new IllegalArgumentException(
          "maxRecordBytes > " + SegmentFormat.MAX_RECORD_BYTES + ": " + maxRecordBytes);
    }
    Objects.requireNonNull(retryAfter, "retryAfter == null");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter < 0: " + retryAfter);
    }
  }

  /** The defaults: 64 MiB or 10 s per segment, 1 GiB in all, 1 MiB per record, fsync on. */
  public static SpoolConfig defaults() {
    return DEFAULTS;
  }

  /** A copy with another {@link #maxSegmentBytes()}. */
  public SpoolConfig withMaxSegmentBytes(long maxSegmentBytes) {
    return new SpoolConfig(
        maxSegmentBytes, maxSegmentAge, maxTotalBytes, maxRecordBytes, retryAfter, fsync);
  }

  /** A copy with another {@link #maxSegmentAge()}. */
  public SpoolConfig withMaxSegmentAge(Duration maxSegmentAge) {
    return new SpoolConfig(
        maxSegmentBytes, maxSegmentAge, maxTotalBytes, maxRecordBytes, retryAfter, fsync);
  }

  /** A copy with another {@link #maxTotalBytes()}. */
  public SpoolConfig withMaxTotalBytes(long maxTotalBytes) {
    return new SpoolConfig(
        maxSegmentBytes, maxSegmentAge, maxTotalBytes, maxRecordBytes, retryAfter, fsync);
  }

  /** A copy with another {@link #maxRecordBytes()}. */
  public SpoolConfig withMaxRecordBytes(int maxRecordBytes) {
    return new SpoolConfig(
        maxSegmentBytes, maxSegmentAge, maxTotalBytes, maxRecordBytes, retryAfter, fsync);
  }

  /** A copy with another {@link #retryAfter()}. */
  public SpoolConfig withRetryAfter(Duration retryAfter) {
    return new SpoolConfig(
        maxSegmentBytes, maxSegmentAge, maxTotalBytes, maxRecordBytes, retryAfter, fsync);
  }

  /** A copy with fsync on or off; off breaks the durability promise (see {@link #fsync()}). */
  public SpoolConfig withFsync(boolean fsync) {
    return new SpoolConfig(
        maxSegmentBytes, maxSegmentAge, maxTotalBytes, maxRecordBytes, retryAfter, fsync);
  }
}
