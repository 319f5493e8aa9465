package io.segmentredshift.load;

import java.sql.SQLException;

/**
 * Fills a staging table with rows: the one step that differs between the bulk paths. Everything
 * around it (the two passes over the batch, dedup, the merge into the targets, retries) is shared,
 * so every loader gives the same tables.
 *
 * <p>Implementations: {@code io.segmentredshift.load.copy.S3CopyLoader} (Redshift: gzip CSV on S3,
 * {@code COPY ... MANIFEST}), {@code io.segmentredshift.load.insert.PreparedInsertLoader} (any
 * warehouse: multi-row prepared INSERT) and {@code
 * io.segmentredshift.load.pgcopy.PostgresCopyLoader} (PostgreSQL: {@code COPY ... FROM STDIN}).
 * {@link #automatic} picks one of two by size.
 *
 * <p>A loader is called from one thread at a time per batch but may serve several batches at once:
 * keep per-batch state out of fields. SQL text comes from {@link StagingTable#dialect()}.
 */
public interface Loader {
  /** A short name for logs and the {@code _loads} ledger, e.g. {@code "s3-copy"}. */
  String name();

  /**
   * Puts every row of {@code table} into the (empty) staging table. The connection is in a
   * transaction that the load path commits after the last table; a failure ends the attempt (the
   * staging tables are dropped, the batch may be tried again), so after one a loader may roll the
   * transaction back, e.g. to read the warehouse's load-error tables.
   *
   * @return what was staged
   * @throws SQLException when the warehouse fails; the load path classifies it (retryable or not)
   * @throws LoadException for failures that are not SQL (storage), or {@link
   *     LoadException#rowsRejected rows the warehouse refused}
   */
  Staged stage(StagingTable table) throws SQLException;

  /**
   * A loader that stages a table with {@code small} when it has fewer than {@code largeFromRows}
   * rows and with {@code large} otherwise: per table, so a batch of many tracks and a few aliases
   * COPYs the tracks and INSERTs the aliases.
   */
  static Loader automatic(Loader small, Loader large, int largeFromRows) {
    return new AutomaticLoader(small, large, largeFromRows);
  }
}
