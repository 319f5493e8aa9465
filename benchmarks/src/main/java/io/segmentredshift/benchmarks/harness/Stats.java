package io.segmentredshift.benchmarks.harness;

import java.util.Arrays;
import java.util.Collection;

/** Small statistics over repeated runs of one benchmark cell. */
public final class Stats {
  private Stats() {}

  /**
   * The median of the values (the mean of the middle two for an even count), ignoring NaN; NaN when
   * there is no value.
   */
  public static double median(Collection<Double> values) {
    double[] sorted =
        values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
