package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadGeneratorTest {
  static {
    // The JDK server writes headers, chunks and the last chunk separately; with Nagle on, each
    // response would wait for the client's delayed ACK (about 40 ms).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final String SECRET = "bench-secret";

  @TempDir Path dir;
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final AtomicInteger badSignatures = new AtomicInteger();
  private final CountDownLatch never = new CountDownLatch(1);
  private HttpServer server;

  @AfterEach
  void stopServer() {
    never.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void sendsEachBodyExactlyOnceWhenAskedForAsManyRequestsAsBodies() throws Exception {
    URI url = startRecordingServer();
    Path bodies = bodies(300, i -> false);
    Path secret = Files.writeString(dir.resolve("secret"), SECRET);
    LoadOptions options =
        LoadOptions.of(url, bodies)
            .withConnections(8, 2)
            .withTimes(Duration.ZERO, Duration.ofSeconds(30))
            .withMaxRequests(300)
            .withSignature("X-Signature", secret);

    LoadResult result = LoadGenerator.run(options, marker -> {});

    assertEquals(300, result.requests());
    assertEquals(0, result.non2xx());
    assertEquals(0, result.errors());
    assertEquals(300, received.size(), "distinct bodies the server saw");
    assertTrue(received.values().stream().allMatch(n -> n.get() == 1), "each body once");
    assertEquals(0, badSignatures.get());
    assertTrue(result.seconds() < 30, "ended when the requests were done: " + result.seconds());
    assertEquals(result.requests() / result.seconds(), result.requestsPerSecond(), 1e-6);
  }

  @Test
  void countsNon2xxResponsesApartFromSuccesses() throws Exception {
    URI url = startRecordingServer();
    Path bodies = bodies(400, i -> i % 4 == 0);
    LoadOptions options =
        LoadOptions.of(url, bodies)
            .withConnections(4, 1)
            .withTimes(Duration.ZERO, Duration.ofSeconds(30))
            .withMaxRequests(400);

    LoadResult result = LoadGenerator.run(options, marker -> {});

    assertEquals(400, result.requests());
    assertEquals(100, result.non2xx());
    assertEquals(0, result.errors());
  }

  @Test
  void countsRefusedConnectionsAsErrorsNotRequests() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    LoadOptions options =
        LoadOptions.of(URI.create("http://127.0.0.1:" + port + "/"), bodies(3, i -> false))
            .withConnections(2, 1)
            .withTimes(Duration.ZERO, Duration.ofMillis(450));

    LoadResult result = LoadGenerator.run(options, marker -> {});

    assertEquals(0, result.requests());
    assertTrue(result.errors() >= 2, "errors: " + result.errors());
  }

  @Test
  void countsATimeoutAsAnError() throws Exception {
    URI url = startRecordingServer().resolve("/slow");
    LoadOptions options =
        LoadOptions.of(url, bodies(3, i -> false))
            .withConnections(1, 1)
            .withTimes(Duration.ZERO, Duration.ofMillis(700))
            .withTimeout(Duration.ofMillis(200));

    LoadResult result = LoadGenerator.run(options, marker -> {});

    assertEquals(0, result.requests());
    assertTrue(result.errors() >= 1, "errors: " + result.errors());
  }

  @Test
  void measuresTheDoNothingServerAfterTheWarmUp() throws Exception {
    List<String> markers = new ArrayList<>();
    try (BaselineHttpServer noop =
        BaselineHttpServer.start(BaselineHttpServer.Mode.NOOP, 0, null)) {
      LoadOptions options =
          LoadOptions.of(noop.uri(), bodies(50, i -> false))
              .withConnections(4, 2)
              .withTimes(Duration.ofMillis(200), Duration.ofMillis(800));

      LoadResult result = LoadGenerator.run(options, markers::add);

      assertTrue(result.requests() > 100, "requests: " + result.requests());
      assertEquals(0, result.errors());
      assertEquals(0, result.non2xx());
      assertEquals(0.8, result.seconds(), 1e-9);
      assertTrue(noop.requests() > result.requests(), "the warm-up requests count at the server");
      assertTrue(result.p50Ms() > 0);
      assertTrue(result.p50Ms() <= result.p90Ms());
      assertTrue(result.p90Ms() <= result.p99Ms());
      assertTrue(result.p99Ms() <= result.maxMs());
      assertEquals(4, result.connections());
      assertEquals(List.of(LoadGenerator.MEASURE_MARKER, LoadGenerator.END_MARKER), markers);
    }
  }

  private URI startRecordingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::record);
    server.createContext(
        "/slow",
        exchange -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void record(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String text = new String(body, StandardCharsets.UTF_8);
    received.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
    String signature = exchange.getRequestHeaders().getFirst("X-Signature");
    if (signature != null && !signature.equals(hmacSha1Hex(body))) {
      badSignatures.incrementAndGet();
    }
    byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
    int status = text.contains("fail") ? 503 : 200;
    // Alternate fixed-length and chunked responses (length 0 makes the JDK server chunk).
    exchange.sendResponseHeaders(status, text.hashCode() % 2 == 0 ? answer.length : 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  private Path bodies(int count, IntPredicate failing) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < count; i++) {
      lines
          .append("{\"type\":\"track\",\"messageId\":\"")
          .append(failing.test(i) ? "fail-" : "m-")
          .append(i)
          .append("\"}\n");
    }
    return Files.writeString(dir.resolve("bodies-" + count + ".ndjson"), lines);
  }

  private static String hmacSha1Hex(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
