/**
 * Loading batches: the {@link io.segmentredshift.load.Loader} SPI that fills a staging table, the
 * shared merge into the targets (dedup on id, users and accounts, {@code _discards}, the {@code
 * _loads} ledger), retries ({@link io.segmentredshift.load.RetryPolicy}) and the outcome ({@link
 * io.segmentredshift.load.LoadResult}). The loaders are in {@code load.copy} (Redshift COPY from
 * S3), {@code load.insert} (prepared INSERT) and {@code load.pgcopy} (PostgreSQL COPY FROM STDIN).
 * The rules are in {@code LOADING.md} of this module.
 */
package io.segmentredshift.load;
