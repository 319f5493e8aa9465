package io.segmentredshift.webhook;

import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.spool.EventRecord;
import io.segmentredshift.spool.SealedSegment;
import io.segmentredshift.spool.Spool;
import io.segmentredshift.testkit.SegmentTraffic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server around a spool-backed handler for each test, on loopback: what the container contracts
 * share. A subclass per container (Jetty, Tomcat 10.1, Tomcat 11, Netty) says how to start it.
 */
public abstract class ServerFixture {
  /** The shared secret of the webhook routes. */
  protected static final String SECRET = "segment-shared-secret";

  /** The write key of the Tracking API routes, for source {@code shop}. */
  protected static final String WRITE_KEY = "wk_live_123";

  /** A running server around one handler. */
  public interface Server extends AutoCloseable {
    /** The mount point, e.g. {@code http://127.0.0.1:8080/segment}, without a trailing slash. */
    URI base();

    /** Stops the server. */
    @Override
    void close();
  }

  /** The spool directory of the test's server. */
  @TempDir protected Path spoolDir;

  /** A second directory for what a test starts besides (another spool, a container's files). */
  @TempDir protected Path otherDir;

  private final List<AutoCloseable> open = new ArrayList<>();
  private final SegmentTraffic traffic = SegmentTraffic.seeded(7);

  /** The spool behind the server of the current test. */
  protected Spool spool;

  /** The server of the current test. */
  protected Server server;

  /** An HTTP/1.1 client. */
  protected HttpClient client;

  /** Starts the container around {@code handler}, on a free loopback port. */
  protected abstract Server start(WebhookHandler handler) throws Exception;

  /** The handler every test uses: a secret, a write key, the spool and its health. */
  protected WebhookHandler.Builder handler(Spool target) {
    return WebhookHandler.builder(EventSink.spool(target))
        .secrets(SECRET)
        .writeKeys(WriteKeys.of(Map.of(WRITE_KEY, "shop")))
        .defaultSource("hooks")
        .requestTimeout(Duration.ofSeconds(3))
        .health(() -> Health.ofSpool(target.stats()));
  }

  @BeforeEach
  void startServer() throws Exception {
    spool = opened(Spool.open(spoolDir));
    server = opened(start(handler(spool).build()));
    client = Loopback.client();
  }

  @AfterEach
  void stopServer() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** Closes {@code c} after the test, in reverse order of opening. */
  protected <T extends AutoCloseable> T opened(T c) {
    open.add(c);
    return c;
  }

  /** Every record in the spool, decoded, in append order. */
  protected static List<EventRecord> stored(Spool target) {
    target.sealActive().join();
    List<EventRecord> records = new ArrayList<>();
    for (SealedSegment segment : target.sealed()) {
      segment.forEachRecord(bytes -> records.add(EventRecord.decode(bytes)));
    }
    return records;
  }

  /** The messageIds the spool holds, in order. */
  protected static List<String> storedIds(Spool target) {
    return stored(target).stream().map(r -> r.event().messageId()).toList();
  }

  /** A realistic single message from the seeded traffic generator. */
  protected byte[] message(SegmentTraffic.Kind kind) {
    return traffic.next(kind);
  }

  /** The messageId of a message. */
  protected static String idOf(byte[] message) {
    return Loopback.json(message).get("messageId").asText();
  }

  /** A request to {@code path} under the mount point. */
  protected HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.base() + path))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json");
  }

  /** POSTs a signed webhook body. */
  protected HttpResponse<byte[]> postSigned(String path, byte[] body, String signature) {
    return Loopback.send(
        client,
        request(path)
            .header("X-Signature", signature)
            .POST(BodyPublishers.ofByteArray(body))
            .build());
  }
}
