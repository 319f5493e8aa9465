package io.segmentredshift.load;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What loading one batch did. The same counts are in the batch's {@code _loads} row.
 *
 * @param batchId the batch's id ({@code _loads.batch_id})
 * @param loader the loader(s) that staged the tables, e.g. {@code "pg-copy"} or {@code
 *     "insert+s3-copy"}; {@code "none"} when there was nothing to load
 * @param startedAt when the load started
 * @param finishedAt when it committed
 * @param eventCount the events given, rejected ones included
 * @param rows per table, the rows inserted: new rows of call tables and {@code _discards} (ids
 *     already there are skipped), and the rows of {@code users} and {@code accounts} written again
 * @param discards the rows added to {@code _discards} (values that did not fit, quarantined rows)
 * @param rejectedEvents the events refused before loading
 * @param loadErrors the rows the warehouse refused and that were quarantined to {@code _discards}
 * @param copyQueryIds the warehouse's query ids of the COPY statements (Redshift)
 * @param attempts how many attempts it took (retries after conflicts or broken connections)
 */
public record LoadResult(
    String batchId,
    String loader,
    Instant startedAt,
    Instant finishedAt,
    int eventCount,
    Map<String, Long> rows,
    long discards,
    List<RejectedEvent> rejectedEvents,
    List<LoadError> loadErrors,
    List<Long> copyQueryIds,
    int attempts) {
  /** Checks and copies. */
  public LoadResult {
    Objects.requireNonNull(batchId, "batchId == null");
    Objects.requireNonNull(loader, "loader == null");
    Objects.requireNonNull(startedAt, "startedAt == null");
    Objects.requireNonNull(finishedAt, "finishedAt == null");
    rows = Map.copyOf(rows);
    rejectedEvents = List.copyOf(rejectedEvents);
    loadErrors = List.copyOf(loadErrors);
    copyQueryIds = List.copyOf(copyQueryIds);
  }

  /** The time from start to commit. */
  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }

  /** The rows inserted into {@code table}, 0 when none. */
  public long rows(String table) {
    return rows.getOrDefault(table, 0L);
  }

  /** The rows inserted into all tables, {@code _discards} and derived tables included. */
  public long totalRows() {
    long sum = 0;
    for (long n : rows.values()) {
      sum += n;
    }
    return sum;
  }
}
