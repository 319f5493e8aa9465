package io.segmentredshift.benchmarks;

import io.segmentredshift.benchmarks.harness.ResultRow;
import io.segmentredshift.benchmarks.harness.Target;
import java.util.List;

/**
 * What one part of the suite measured: its rows (each against its baseline), the notes that say how
 * and where the time goes, and the targets it decides, each with a way to profile a miss.
 *
 * @param name the file name of the part's own results, such as {@code "load"}
 * @param title the part's heading
 * @param rows the figures
 * @param notes Markdown paragraphs
 * @param targets the targets with their profilers
 */
record PartResult(
    String name, String title, List<ResultRow> rows, List<String> notes, List<Judged> targets) {

  PartResult {
    rows = List.copyOf(rows);
    notes = List.copyOf(notes);
    targets = List.copyOf(targets);
  }

  /**
   * A target and how to find out where the time goes when it is missed.
   *
   * @param target the target and its measured figure
   * @param profiler runs the measurement again under JFR and returns a Markdown summary
   */
  record Judged(Target target, Profiler profiler) {}

  /** Runs a profiled measurement. */
  @FunctionalInterface
  interface Profiler {
    /** The Markdown summary of the profile. */
    String profile() throws Exception;
  }
}
