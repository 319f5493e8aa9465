package io.segmentredshift.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;

class EmbeddedS3ExtensionTest {
  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @Test
  void storesAndReadsBackAGzipObjectThroughTheAwsSdk() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
    }
    S3.client()
        .putObject(
            b -> b.bucket(S3.bucket()).key("p/part-0.csv.gz"),
            RequestBody.fromBytes(gz.toByteArray()));
    S3.client()
        .putObject(b -> b.bucket(S3.bucket()).key("q/other.txt"), RequestBody.fromString("x"));

    byte[] back =
        S3.client()
            .getObjectAsBytes(b -> b.bucket(S3.bucket()).key("p/part-0.csv.gz"))
            .asByteArray();
    assertArrayEquals(gz.toByteArray(), back);
    List<String> keys =
        S3.client().listObjectsV2(b -> b.bucket(S3.bucket()).prefix("p/")).contents().stream()
            .map(S3Object::key)
            .toList();
    assertEquals(List.of("p/part-0.csv.gz"), keys);
  }

  @Test
  void completesAMultipartUpload() {
    byte[] part = new byte[5 * 1024 * 1024];
    new Random(1).nextBytes(part);
    String key = "big/object.bin";
    String uploadId =
        S3.client().createMultipartUpload(b -> b.bucket(S3.bucket()).key(key)).uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    for (int n = 1; n <= 2; n++) {
      int number = n;
      String etag =
          S3.client()
              .uploadPart(
                  b -> b.bucket(S3.bucket()).key(key).uploadId(uploadId).partNumber(number),
                  RequestBody.fromBytes(part))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    }
    S3.client()
        .completeMultipartUpload(
            b ->
                b.bucket(S3.bucket())
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));

    long length = S3.client().headObject(b -> b.bucket(S3.bucket()).key(key)).contentLength();
    assertEquals(2L * part.length, length);
  }
}
