package io.segmentredshift.testkit;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API for a test class: one s3proxy server per JVM, a fresh bucket per test class, and a
 * ready AWS SDK v2 client.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();
 *
 * S3.client().putObject(b -> b.bucket(S3.bucket()).key("a.txt"), RequestBody.fromString("hi"));
 * }</pre>
 */
public final class EmbeddedS3Extension implements BeforeAllCallback, AfterAllCallback {
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private S3Server server;
  private S3Client client;
  private String bucket;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = sharedServer(context);
    client = server.newClient();
    String hint = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT);
    bucket = ("b" + BUCKETS.incrementAndGet() + "-" + hint.replaceAll("[^a-z0-9]+", "-"));
    if (bucket.length() > 63) {
      bucket = bucket.substring(0, 63);
    }
    String name = bucket;
    client.createBucket(b -> b.bucket(name));
  }

  private static S3Server sharedServer(ExtensionContext context) {
    // One per JVM: the root store is shared by every test class, and JUnit closes its
    // AutoCloseable values when the whole run ends.
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(EmbeddedS3Extension.class))
        .getOrComputeIfAbsent("shared-server", key -> S3Server.start(), S3Server.class);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      emptyBucket();
      client.deleteBucket(b -> b.bucket(bucket));
    } finally {
      client.close();
    }
  }

  private void emptyBucket() {
    ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).build();
    for (var page : client.listObjectsV2Paginator(request)) {
      if (page.contents().isEmpty()) {
        continue;
      }
      var ids =
          page.contents().stream()
              .map(S3Object::key)
              .map(k -> ObjectIdentifier.builder().key(k).build())
              .toList();
      client.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).build()));
    }
  }

  /** The AWS SDK v2 client (path-style, endpoint override, static credentials). */
  public S3Client client() {
    return client;
  }

  /** This class's bucket, created empty before the first test. */
  public String bucket() {
    return bucket;
  }

  /** The server's endpoint. */
  public URI endpoint() {
    return server.endpoint();
  }

  /** The server, for a second client or its credentials. */
  public S3Server server() {
    return server;
  }
}
