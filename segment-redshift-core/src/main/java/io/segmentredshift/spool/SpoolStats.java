package io.segmentredshift.spool;

/**
 * A snapshot of a {@link Spool}'s backlog and counters, for health endpoints and benchmarks. The
 * fields are read one by one without a lock, so they may disagree by the appends in flight.
 *
 * @param backlogBytes bytes in segment files not yet released (sealed and active)
 * @param backlogRecords records in segment files not yet released (sealed and active)
 * @param sealedSegments sealed segments not yet released
 * @param appends appends completed durably since the spool was opened
 * @param appendedRecords records in those appends
 * @param fsyncs forces of a segment file since the spool was opened (one per group commit)
 * @param refusedFull appends refused with {@link SpoolException.Reason#SPOOL_FULL}
 */
public record SpoolStats(
    long backlogBytes,
    long backlogRecords,
    int sealedSegments,
    long appends,
    long appendedRecords,
    long fsyncs,
    long refusedFull) {

  /** Appends per fsync since the spool was opened: how well group commit shares each sync. */
  public double appendsPerFsync() {
    return fsyncs == 0 ? 0 : (double) appends / fsyncs;
  }
}
