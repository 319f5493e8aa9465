package io.segmentredshift.schema;

import java.time.Instant;
import java.util.List;

/**
 * What one event becomes: its rows, one per table, and the values the layout already had to
 * discard. An event that loads nothing (a {@code delete}) has neither.
 *
 * @param rows the rows, in a fixed order (tracks before the event table)
 * @param discards values the layout could not place (empty names, standard-column collisions,
 *     unusable messageId, a track without an event table)
 * @param loadedAt the batch's load time ({@code uuid_ts})
 */
public record EventRows(List<TableRow> rows, List<Discard> discards, Instant loadedAt) {
  /** Copies the lists. */
  public EventRows {
    rows = List.copyOf(rows);
    discards = List.copyOf(discards);
  }
}
