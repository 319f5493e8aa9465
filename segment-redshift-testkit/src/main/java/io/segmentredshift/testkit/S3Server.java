package io.segmentredshift.testkit;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 HTTP API on loopback (s3proxy with an in-memory blob store), for the real AWS SDK v2
 * client. Tests normally reach it through {@link EmbeddedS3Extension}.
 */
public final class S3Server implements AutoCloseable {
  /** The access key id the server accepts. */
  public static final String ACCESS_KEY = "testkit-access";

  /** The secret access key the server accepts. */
  public static final String SECRET_KEY = "testkit-secret";

  /** The region clients name (s3proxy ignores it, the SDK needs one). */
  public static final Region REGION = Region.US_EAST_1;

  private final S3Proxy proxy;
  private final URI endpoint;

  private S3Server(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /** Starts a server on a free loopback port. */
  public static S3Server start() {
    try {
      Properties properties = new Properties();
      properties.setProperty("jclouds.identity", ACCESS_KEY);
      properties.setProperty("jclouds.credential", SECRET_KEY);
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(BlobStores.create("transient", properties))
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
              .endpoint(URI.create("http://127.0.0.1:0"))
              .ignoreUnknownHeaders(true)
              .build();
      proxy.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "s3proxy did not reach STARTED within 10 s: " + proxy.getState());
        }
        Thread.sleep(10);
      }
      return new S3Server(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Diagnosis.explain("Embedded S3 (s3proxy)", e);
    } catch (Exception e) {
      throw Diagnosis.explain("Embedded S3 (s3proxy)", e);
    }
  }

  /** The endpoint, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return endpoint;
  }

  /** A new AWS SDK v2 client for this server: path-style, endpoint override, static credentials. */
  public S3Client newClient() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(REGION)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new FixtureException("Embedded S3 did not stop cleanly: " + e.getMessage(), e);
    }
  }
}
