package io.segmentredshift.examples.server;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a Segment S3 archive is: a local directory, or a bucket and key prefix.
 *
 * @param directory the local directory, or null
 * @param bucket the bucket, or null
 * @param prefix the key prefix in the bucket, without a leading {@code /}; empty for the whole
 *     bucket, else ending in {@code /}
 */
record ArchiveLocation(Path directory, String bucket, String prefix) {
  /** Reads {@code s3://bucket/prefix} or a directory path. */
  static ArchiveLocation parse(String text) {
    if (text.startsWith("s3://")) {
      String rest = text.substring("s3://".length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1);
      if (bucket.isEmpty()) {
        throw CommandLineException.usage(
            "the archive " + Arguments.shown(text) + " names no bucket (s3://BUCKET/PREFIX)");
      }
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        prefix += "/";
      }
      return new ArchiveLocation(null, bucket, prefix);
    }
    if (text.contains("://")) {
      throw CommandLineException.usage(
          "the archive "
              + Arguments.shown(text)
              + " is neither a directory nor s3://BUCKET/PREFIX");
    }
    Path dir = Path.of(text);
    if (!Files.isDirectory(dir)) {
      throw CommandLineException.usage(
          "the archive " + Arguments.shown(text) + " is not a directory");
    }
    return new ArchiveLocation(dir, null, "");
  }

  boolean s3() {
    return bucket != null;
  }

  @Override
  public String toString() {
    return s3() ? "s3://" + bucket + "/" + prefix : directory.toString();
  }
}
