package io.segmentredshift.examples.server;

import java.time.LocalDate;

/**
 * One file of a Segment S3 archive: {@code segment-logs/<source-id>/<day>/<name>.gz}.
 *
 * @param key the path from {@code segment-logs/} on, the same wherever the archive is copied to:
 *     the ledger's key
 * @param sourceId the Segment source
 * @param day the UTC day Segment received the events on
 * @param size the size in bytes (compressed)
 * @param version the S3 ETag, or the local file's modification time: a file rewritten in place is
 *     loaded again
 * @param path its path in the {@link ArchiveStore}
 * @param location where it is, for messages: {@code s3://bucket/key} or a local path
 */
record ArchiveFile(
    String key,
    String sourceId,
    LocalDate day,
    long size,
    String version,
    String path,
    String location) {}
