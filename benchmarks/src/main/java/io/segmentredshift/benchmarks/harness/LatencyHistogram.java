package io.segmentredshift.benchmarks.harness;

import java.util.Arrays;

/**
 * A log-linear histogram of non-negative values (latencies in nanoseconds), in the manner of
 * HdrHistogram: values below 256 are counted exactly, larger ones in buckets whose width is at most
 * 1/128 of their lower bound, so every reported percentile is within 0.8% of a recorded value.
 *
 * <p>Not thread-safe: give each thread its own histogram and {@link #add} them at the end.
 * Recording is allocation-free and costs a few nanoseconds.
 */
public final class LatencyHistogram {
  // Values below 2^SUB_BITS are exact; above, each power of two has HALF linear buckets.
  private static final int SUB_BITS = 8;
  private static final int HALF = 1 << (SUB_BITS - 1);
  private static final int BUCKETS = (64 - SUB_BITS + 2) * HALF;

  private final long[] counts = new long[BUCKETS];
  private long count;
  private long min = Long.MAX_VALUE;
  private long max;
  private double sum;

  /** An empty histogram. */
  public LatencyHistogram() {}

  /** Counts one value. */
  public void record(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("value < 0: " + value);
    }
    counts[index(value)]++;
    count++;
    sum += value;
    if (value < min) {
      min = value;
    }
    if (value > max) {
      max = value;
    }
  }

  /** Adds every value counted by another histogram to this one. */
  public void add(LatencyHistogram other) {
    if (other == null) {
      throw new NullPointerException("other == null");
    }
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  /** Forgets every value. */
  public void reset() {
    Arrays.fill(counts, 0);
    count = 0;
    sum = 0;
    min = Long.MAX_VALUE;
    max = 0;
  }

  /** How many values were recorded. */
  public long count() {
    return count;
  }

  /** The largest value recorded, exactly; 0 when empty. */
  public long max() {
    return max;
  }

  /** The smallest value recorded, exactly; 0 when empty. */
  public long min() {
    return count == 0 ? 0 : min;
  }

  /** The arithmetic mean of the values recorded, exactly; 0 when empty. */
  public double mean() {
    return count == 0 ? 0 : sum / count;
  }

  /**
   * The value below or at which the given percentage of the recorded values lie: the highest value
   * of the bucket holding the value of that rank (never above {@link #max()}); 0 when empty.
   *
   * @param percentile from 0 to 100; 100 gives {@link #max()}
   */
  public long valueAtPercentile(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile not in [0, 100]: " + percentile);
    }
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.max(min(), Math.min(max, highestInBucket(i)));
      }
    }
    return max;
  }

  static int index(long value) {
    if (value < 2 * HALF) {
      return (int) value;
    }
    int magnitude = 63 - Long.numberOfLeadingZeros(value) - (SUB_BITS - 1);
    return magnitude * HALF + (int) (value >>> magnitude);
  }

  static long lowestInBucket(int index) {
    if (index < 2 * HALF) {
      return index;
    }
    int magnitude = index / HALF - 1;
    long sub = index - (long) magnitude * HALF;
    return sub << magnitude;
  }

  static long highestInBucket(int index) {
    if (index < 2 * HALF) {
      return index;
    }
    int magnitude = index / HALF - 1;
    long sub = index - (long) magnitude * HALF;
    // The top bucket ends at Long.MAX_VALUE; the shift would overflow to a negative number there.
    long next = (sub + 1) << magnitude;
    return next <= 0 ? Long.MAX_VALUE : next - 1;
  }
}
