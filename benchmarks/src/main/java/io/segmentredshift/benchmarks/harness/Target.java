package io.segmentredshift.benchmarks.harness;

import java.util.Locale;

/**
 * One of issue 9's targets with the figure measured for it in the same run: met or missed.
 *
 * @param name what the target is about, such as "load, PostgreSQL COPY, whole path"
 * @param measure what is compared, such as "events/s ÷ raw CopyManager COPY"
 * @param measured the figure measured, NaN when it was not measured in this run
 * @param threshold the target's bound
 * @param atMost true if the figure must stay at or below the bound (a latency), false if it must
 *     reach it
 * @param unit how the figures read: {@code "×"} for a ratio, or a unit such as {@code "ms"}
 */
public record Target(
    String name, String measure, double measured, double threshold, boolean atMost, String unit) {

  /** Checks the names. */
  public Target {
    if (name == null) {
      throw new NullPointerException("name == null");
    }
    if (measure == null) {
      throw new NullPointerException("measure == null");
    }
    if (unit == null) {
      throw new NullPointerException("unit == null");
    }
  }

  /** A target that a figure must reach. */
  public static Target atLeast(
      String name, String measure, double measured, double threshold, String unit) {
    return new Target(name, measure, measured, threshold, false, unit);
  }

  /** A target that a figure must not exceed. */
  public static Target atMost(
      String name, String measure, double measured, double threshold, String unit) {
    return new Target(name, measure, measured, threshold, true, unit);
  }

  /** Whether the figure was measured in this run. */
  public boolean measuredInThisRun() {
    return !Double.isNaN(measured);
  }

  /** Whether the figure meets the bound; false when it was not measured. */
  public boolean met() {
    if (!measuredInThisRun()) {
      return false;
    }
    return atMost ? measured <= threshold : measured >= threshold;
  }

  /** The bound as it reads in a table, such as {@code "≥ 0.60×"} or {@code "≤ 5.00 ms"}. */
  public String bound() {
    return (atMost ? "≤ " : "≥ ") + format(threshold);
  }

  /** The measured figure as it reads in a table, or "not measured". */
  public String measuredText() {
    return measuredInThisRun() ? format(measured) : "not measured";
  }

  /** "met", "missed" or "not measured". */
  public String verdict() {
    return !measuredInThisRun() ? "not measured" : met() ? "met" : "missed";
  }

  /**
   * The figure against the bound, 1 meaning exactly on it and more meaning better: {@code measured
   * / threshold} for a figure to reach, {@code threshold / measured} for one to stay under.
   */
  public double score() {
    return atMost ? threshold / measured : measured / threshold;
  }

  private String format(double value) {
    if (unit.equals("×")) {
      return String.format(Locale.ROOT, value < 0.1 ? "%.3f×" : "%.2f×", value);
    }
    return ResultsWriter.number(value) + " " + unit;
  }
}
