package io.segmentredshift.benchmarks.harness;

/**
 * One measured figure next to the baseline measured in the same run.
 *
 * @param benchmark what was measured, such as "ingest, 64 connections"
 * @param variant the thing measured, such as "Netty adapter, signed webhooks"
 * @param metric the quantity and its unit, such as "req/s" or "p99 ms"
 * @param value the figure
 * @param baseline the baseline's figure for the same metric, or {@code Double.NaN} when there is
 *     none (a memory figure, say)
 */
public record ResultRow(
    String benchmark, String variant, String metric, double value, double baseline) {

  /** Checks that the names are present. */
  public ResultRow {
    if (benchmark == null) {
      throw new NullPointerException("benchmark == null");
    }
    if (variant == null) {
      throw new NullPointerException("variant == null");
    }
    if (metric == null) {
      throw new NullPointerException("metric == null");
    }
  }

  /** A figure that has no baseline. */
  public static ResultRow alone(String benchmark, String variant, String metric, double value) {
    return new ResultRow(benchmark, variant, metric, value, Double.NaN);
  }

  /** {@code value / baseline}; NaN without a baseline or when the baseline is 0. */
  public double ratio() {
    return Double.isNaN(baseline) || baseline == 0 ? Double.NaN : value / baseline;
  }

  /** Whether this row has a ratio to draw. */
  public boolean hasRatio() {
    return !Double.isNaN(ratio()) && !Double.isInfinite(ratio());
  }
}
