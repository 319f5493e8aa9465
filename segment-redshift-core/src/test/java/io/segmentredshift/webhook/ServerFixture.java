package io.segmentredshift.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real pipeline behind a real server for each test, on loopback: what the container contracts
 * share. Each test gets a {@link SegmentRedshift} on the embedded PostgreSQL (a spool in a
 * temporary directory and a short flush interval, or, when a subclass says so, no spool: each
 * request is loaded before its answer), a container around its {@link
 * SegmentRedshift#webhookHandler()}, and {@link #warehouse()} to read back what was stored. A
 * subclass per container (Jetty, Tomcat 10.1, Tomcat 11, Netty) says how to start it.
 */
public abstract class ServerFixture {
  /** The warehouse: a database of this test class on the JVM's embedded PostgreSQL. */
  @RegisterExtension
  protected static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  /** The shared secret of the webhook routes. */
  protected static final String SECRET = "segment-shared-secret";

  /** The write key of the Tracking API routes, for source {@link #SHOP}. */
  protected static final String WRITE_KEY = "wk_live_123";

  /** The schema of signed webhooks: the pipeline's default source. */
  protected static final String HOOKS = "hooks";

  /** The schema of {@link #WRITE_KEY}'s source. */
  protected static final String SHOP = "shop";

  /** How long a test waits for what was acknowledged to be loaded. */
  private static final Duration LOAD_DEADLINE = Duration.ofSeconds(60);

  /** A running server around one handler. */
  public interface Server extends AutoCloseable {
    /** The mount point, e.g. {@code http://127.0.0.1:8080/segment}, without a trailing slash. */
    URI base();

    /** Stops the server. */
    @Override
    void close();
  }

  /** The spool directory of the test's pipeline. */
  @TempDir protected Path spoolDir;

  /** A second directory for what a test starts besides (another spool, a container's files). */
  @TempDir protected Path otherDir;

  private final List<AutoCloseable> open = new ArrayList<>();
  private final SegmentTraffic traffic = SegmentTraffic.seeded(7);
  private WarehouseRows rows;

  /** The pipeline of the current test. */
  protected SegmentRedshift segment;

  /** The server of the current test, around {@code segment.webhookHandler()}. */
  protected Server server;

  /** An HTTP/1.1 client. */
  protected HttpClient client;

  /** Starts the container around {@code handler}, on a free loopback port. */
  protected abstract Server start(WebhookHandler handler) throws Exception;

  /**
   * Whether the pipeline acknowledges once events are in its spool and loads them in the background
   * (true, the default), or loads each request before answering it (false: then every row must be
   * readable right after the 200, and {@link #warehouse()} does not wait).
   */
  protected boolean spooled() {
    return true;
  }

  /**
   * The pipeline every test uses: the embedded PostgreSQL, signed webhooks into {@link #HOOKS},
   * {@link #WRITE_KEY} into {@link #SHOP}, and with {@link #spooled()} a spool in {@link #spoolDir}
   * flushed every 100 ms.
   */
  protected SegmentRedshift.Builder pipeline() {
    SegmentRedshift.Builder b =
        SegmentRedshift.builder(PG.dataSource())
            .name(getClass().getSimpleName())
            .dialect(Dialect.postgres())
            .schema(HOOKS)
            .secrets(SECRET)
            .writeKey(WRITE_KEY, SHOP);
    if (spooled()) {
      b.spool(spoolDir).flushInterval(Duration.ofMillis(100));
    }
    return b;
  }

  @BeforeEach
  void startServer() throws Exception {
    rows = new WarehouseRows(PG.dataSource());
    rows.dropSchemas(HOOKS, SHOP);
    segment = opened(pipeline().build());
    server = opened(start(segment.webhookHandler()));
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

  /**
   * The warehouse once everything acknowledged so far is loaded: with a spool, after waiting until
   * the spool's backlog is empty (a record leaves it only once its load committed); without one at
   * once, since a 200 is sent only after the commit.
   */
  protected WarehouseRows warehouse() {
    if (spooled()) {
      long deadline = System.nanoTime() + LOAD_DEADLINE.toNanos();
      while (segment.health().backlogRecords() > 0) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "not loaded within " + LOAD_DEADLINE.toSeconds() + " s: " + segment.health());
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
    return rows;
  }

  /**
   * Nothing was accepted, nothing is in the spool, and no row is in either schema (nor in the
   * {@code _loads} ledger).
   */
  protected void assertNothingStored() {
    assertEquals(0, segment.health().backlogRecords(), "records in the spool");
    assertEquals(0, segment.webhookHandler().stats().acceptedEvents(), "accepted events");
    assertEquals(Map.of(), warehouse().rowCounts(HOOKS), "rows in " + HOOKS);
    assertEquals(Map.of(), warehouse().rowCounts(SHOP), "rows in " + SHOP);
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
