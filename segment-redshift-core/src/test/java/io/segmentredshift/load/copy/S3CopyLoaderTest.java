package io.segmentredshift.load.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.load.LoadResult;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 COPY loader's files: count, size, manifest, multipart upload, clean-up. */
class S3CopyLoaderTest {
  @RegisterExtension
  static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension().slices(4);

  private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Event> tracks(int n, int payloadBytes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] payload = new byte[payloadBytes / 2];
      random.nextBytes(payload);
      out.add(
          Event.builder(EventType.TRACK)
              .messageId("m" + i)
              .anonymousId("a" + i)
              .event("Uploaded")
              .properties(Map.of("i", (long) i, "payload", HexFormat.of().formatHex(payload)))
              .timestamp(T0)
              .receivedAt(T0.plusMillis(i))
              .build());
    }
    return out;
  }

  private static SegmentRedshift segment(String schema, S3CopyLoader loader) {
    return SegmentRedshift.builder(RS.dataSource())
        .dialect(Dialect.redshift())
        .schema(schema)
        .loader(loader)
        .build();
  }

  private static List<S3Object> objects(String prefix) {
    return RS.s3()
        .listObjectsV2(ListObjectsV2Request.builder().bucket(RS.bucket()).prefix(prefix).build())
        .contents();
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = RS.postgres().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void fileCountIsAMultipleOfTheSlicesWithinTheSizeBounds() {
    long mb = 1 << 20;
    long gb = 1 << 30;
    // Small tables: no tiny files, down to one.
    assertEquals(1, S3CopyLoader.fileCount(0, 8, mb, gb, 10));
    assertEquals(1, S3CopyLoader.fileCount(mb / 2, 8, mb, gb, 1000));
    assertEquals(3, S3CopyLoader.fileCount(3 * mb + 5, 8, mb, gb, 1000));
    // Enough for every slice: one file per slice, then more rounds as files reach the maximum.
    assertEquals(8, S3CopyLoader.fileCount(8 * mb, 8, mb, gb, 1_000_000));
    assertEquals(8, S3CopyLoader.fileCount(8 * gb, 8, mb, gb, 1_000_000));
    assertEquals(16, S3CopyLoader.fileCount(8 * gb + 1, 8, mb, gb, 1_000_000));
    // Never more files than rows.
    assertEquals(5, S3CopyLoader.fileCount(8 * gb, 8, mb, gb, 5));
  }

  @Test
  void aLargeTableIsSplitIntoAMultipleOfTheSlicesListedAsMandatory()
      throws SQLException, IOException {
    S3CopyLoader loader =
        S3CopyLoader.builder(RS.s3(), RS.bucket())
            .prefix("split/")
            .iamRole(EmbeddedRedshiftExtension.IAM_ROLE)
            .filesPerSlice(2)
            .minFileBytes(1)
            .keepObjects(true)
            .build();
    LoadResult r;
    try (SegmentRedshift segment = segment("split", loader)) {
      r = segment.load(tracks(100, 64, 1));
    }
    assertEquals(100, r.rows("uploaded"));
    assertEquals(100, count("SELECT COUNT(*) FROM split.uploaded"));
    String folder = "split/" + r.batchId() + "/uploaded-";
    List<S3Object> parts =
        objects(folder).stream().filter(o -> o.key().endsWith(".csv.gz")).toList();
    assertEquals(8, parts.size(), "4 slices x 2 files per slice");
    S3Object manifest =
        objects(folder).stream().filter(o -> o.key().endsWith("/manifest")).findFirst().get();
    JsonNode entries =
        JSON.readTree(
                RS.s3()
                    .getObjectAsBytes(b -> b.bucket(RS.bucket()).key(manifest.key()))
                    .asByteArray())
            .get("entries");
    assertEquals(8, entries.size());
    for (JsonNode entry : entries) {
      assertTrue(entry.get("mandatory").asBoolean(), entry.toString());
      assertTrue(entry.get("url").asText().startsWith("s3://" + RS.bucket() + "/" + folder));
    }
    long smallest = parts.stream().mapToLong(S3Object::size).min().getAsLong();
    long largest = parts.stream().mapToLong(S3Object::size).max().getAsLong();
    assertTrue(largest < 2 * smallest, "parts of similar size: " + smallest + ".." + largest);
  }

  @Test
  void aSmallTableIsOneFileAndObjectsAreDeletedAfterTheCommit() throws SQLException {
    S3CopyLoader loader =
        S3CopyLoader.builder(RS.s3(), RS.bucket())
            .prefix("small/")
            .iamRole(EmbeddedRedshiftExtension.IAM_ROLE)
            .build();
    try (SegmentRedshift segment = segment("small", loader)) {
      LoadResult r = segment.load(tracks(200, 64, 2));
      assertEquals(200, r.rows("uploaded"));
      // tracks and uploaded: one COPY each.
      assertEquals(2, r.copyQueryIds().size());
    }
    assertEquals(200, count("SELECT COUNT(*) FROM small.uploaded"));
    assertEquals(List.of(), objects("small/"));
  }

  @Test
  void aFileLargerThanAnUploadChunkGoesUpAsAMultipartUpload() throws SQLException {
    S3CopyLoader loader =
        S3CopyLoader.builder(RS.s3(), RS.bucket())
            .prefix("multipart/")
            .iamRole(EmbeddedRedshiftExtension.IAM_ROLE)
            .uploadChunkBytes(5 << 20)
            .maxFileBytes(1L << 30)
            .minFileBytes(1L << 30)
            .keepObjects(true)
            .build();
    LoadResult r;
    try (SegmentRedshift segment = segment("multipart", loader)) {
      // Random hex compresses about 2:1: some 6 MB of gzip in one file.
      r = segment.load(tracks(1500, 8000, 3));
    }
    assertEquals(1500, count("SELECT COUNT(*) FROM multipart.uploaded"));
    assertEquals(
        1500,
        count(
            "SELECT COUNT(DISTINCT payload) FROM multipart.uploaded WHERE length(payload) = 8000"));
    S3Object part =
        objects("multipart/" + r.batchId() + "/uploaded-").stream()
            .filter(o -> o.key().endsWith(".csv.gz"))
            .findFirst()
            .get();
    assertTrue(part.size() > 5 << 20, "size " + part.size());
    String etag =
        RS.s3()
            .headObject(HeadObjectRequest.builder().bucket(RS.bucket()).key(part.key()).build())
            .eTag();
    assertTrue(etag.matches("\"?[0-9a-f]+-2\"?"), "a two-part upload's ETag: " + etag);
  }

  @Test
  void theBuilderNeedsAnAuthorization() {
    assertThrows(
        IllegalStateException.class, () -> S3CopyLoader.builder(RS.s3(), RS.bucket()).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> S3CopyLoader.builder(RS.s3(), RS.bucket()).uploadChunkBytes(1 << 20));
  }
}
