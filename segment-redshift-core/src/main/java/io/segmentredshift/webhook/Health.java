package io.segmentredshift.webhook;

import io.segmentredshift.spool.SpoolStats;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@code GET /health} reports: whether the receiver is alive, the spool's backlog, and the
 * last load and the last error of the pipeline behind it. The pipeline fills it; the handler asks
 * for a fresh one on every health request, so a supplier must be cheap.
 *
 * @param live false when the receiver cannot accept events (the answer is then 503)
 * @param backlogBytes bytes in the spool not yet loaded
 * @param backlogRecords events in the spool not yet loaded
 * @param lastLoadAt when the last load into the warehouse committed, or null if none has yet
 * @param lastErrorAt when the last error happened, or null if none has
 * @param lastError the last error's message (never secrets or row values), or null if none
 */
public record Health(
    boolean live,
    long backlogBytes,
    long backlogRecords,
    Instant lastLoadAt,
    Instant lastErrorAt,
    String lastError) {
  private static final Health UP = new Health(true, 0, 0, null, null, null);

  /** Checks the counts and that an error has both its time and its message or neither. */
  public Health {
    if (backlogBytes < 0) {
      throw new IllegalArgumentException("backlogBytes < 0: " + backlogBytes);
    }
    if (backlogRecords < 0) {
      throw new IllegalArgumentException("backlogRecords < 0: " + backlogRecords);
    }
    if ((lastErrorAt == null) != (lastError == null)) {
      throw new IllegalArgumentException("lastErrorAt and lastError go together");
    }
  }

  /** Alive, with nothing to report: the default of a handler built without a health supplier. */
  public static Health up() {
    return UP;
  }

  /** Alive, with the backlog of a spool that no loader drains yet. */
  public static Health ofSpool(SpoolStats stats) {
    Objects.requireNonNull(stats, "stats == null");
    return new Health(true, stats.backlogBytes(), stats.backlogRecords(), null, null, null);
  }
}
