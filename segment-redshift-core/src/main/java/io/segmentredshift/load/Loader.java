package io.segmentredshift.load;

import java.sql.SQLException;

/**
 * Fills a table with rows: the one step that differs between the bulk paths. Everything around it
 * (the two passes over the batch, dedup, the merge into the targets, retries) is shared, so every
 * loader gives the same tables.
 *
 * <p>Two modes. <b>Staged</b>: the loader fills an empty temporary staging table, and the merge
 * copies the rows whose id the target lacks into the target ({@code INSERT ... SELECT ... WHERE NOT
 * EXISTS}); Redshift, which enforces no keys, always loads this way. <b>Direct</b>: on a warehouse
 * that enforces {@code PRIMARY KEY (id)} (PostgreSQL), a loader that is {@link #direct()} writes
 * straight into the target, inside the merge transaction: under the merge's lock the load path asks
 * which of the batch's ids the target has and hands the loader only the others, so every row is
 * written once instead of twice. {@link StagingTable#schema()} tells the modes apart.
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
   * Puts every row of {@code table} into it: an empty staging table, or (for a {@link #direct()}
   * loader on PostgreSQL) the target itself, whose ids none of the rows have. The connection is in
   * a transaction that the load path commits (after the last staging table, or at the end of the
   * merge); a failure ends the attempt (nothing of it is committed, the batch may be tried again),
   * so after one a loader may roll the transaction back, e.g. to read the warehouse's load-error
   * tables.
   *
   * @return what was written
   * @throws SQLException when the warehouse fails; the load path classifies it (retryable or not)
   * @throws LoadException for failures that are not SQL (storage), or {@link
   *     LoadException#rowsRejected rows the warehouse refused}
   */
  Staged stage(StagingTable table) throws SQLException;

  /**
   * True when this loader may write straight into a target table, inside the merge transaction: it
   * only runs statements that a transaction may hold (a COPY FROM STDIN, INSERTs), and it has no
   * per-row error report to map back ({@link LoadException#rowsRejected}). False by default.
   */
  default boolean direct() {
    return false;
  }

  /**
   * A loader that stages a table with {@code small} when it has fewer than {@code largeFromRows}
   * rows and with {@code large} otherwise: per table, so a batch of many tracks and a few aliases
   * COPYs the tracks and INSERTs the aliases.
   */
  static Loader automatic(Loader small, Loader large, int largeFromRows) {
    return new AutomaticLoader(small, large, largeFromRows);
  }
}
