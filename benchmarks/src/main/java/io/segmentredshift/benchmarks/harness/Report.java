package io.segmentredshift.benchmarks.harness;

import java.time.Instant;
import java.util.List;

/**
 * Everything a results file holds: a title, when and where it ran, the rows and notes (where the
 * time goes, what a miss means).
 *
 * @param title the heading, such as "Ingest: adapters against the do-nothing Netty server"
 * @param date when the run finished
 * @param machine where it ran
 * @param rows the figures, in the order to show them
 * @param notes paragraphs of Markdown shown under the table, possibly none
 */
public record Report(
    String title, Instant date, Machine machine, List<ResultRow> rows, List<String> notes) {

  /** Checks the arguments and copies the lists. */
  public Report {
    if (title == null) {
      throw new NullPointerException("title == null");
    }
    if (date == null) {
      throw new NullPointerException("date == null");
    }
    if (machine == null) {
      throw new NullPointerException("machine == null");
    }
    rows = List.copyOf(rows);
    notes = List.copyOf(notes);
  }
}
