/**
 * The durable local spool: append-only segment files of checksummed records, group commit (many
 * appends share one fsync), sealing by size and age, recovery of torn tails on open, and release of
 * segments once their load has committed. See {@link io.segmentredshift.spool.Spool}.
 *
 * <p>Not public API: these types are public only so that the webhook handler and the flusher in
 * other packages of this library can use them. They may change in any release.
 */
package io.segmentredshift.spool;
