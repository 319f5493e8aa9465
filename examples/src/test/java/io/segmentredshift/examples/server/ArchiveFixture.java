package io.segmentredshift.examples.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** A small Segment S3 archive, written to a directory or a bucket. */
final class ArchiveFixture {
  private final Map<String, byte[]> files = new LinkedHashMap<>();

  /** Adds {@code segment-logs/<source>/<day ms>/<name>} holding {@code lines}, gzipped. */
  ArchiveFixture file(String source, LocalDate day, String name, String... lines) {
    files.put(
        ArchiveScanner.LOGS + "/" + source + "/" + ArchiveScanner.dayName(day) + "/" + name,
        gzip(String.join("\n", lines) + "\n"));
    return this;
  }

  /** Adds a file at any path, as is. */
  ArchiveFixture raw(String path, byte[] content) {
    files.put(path, content);
    return this;
  }

  static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A track event line. */
  static String track(String messageId, String receivedAt) {
    return "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"u1\",\"messageId\":\""
        + messageId
        + "\",\"receivedAt\":\""
        + receivedAt
        + "\",\"timestamp\":\""
        + receivedAt
        + "\",\"properties\":{\"revenue\":12.5}}";
  }

  void writeTo(Path root) throws IOException {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path file = root.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
  }

  void writeTo(S3Client s3, String bucket, String prefix) {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      s3.putObject(
          b -> b.bucket(bucket).key(prefix + e.getKey()), RequestBody.fromBytes(e.getValue()));
    }
  }
}
