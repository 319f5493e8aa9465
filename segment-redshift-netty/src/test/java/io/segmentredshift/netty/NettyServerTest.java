package io.segmentredshift.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.webhook.EventSink;
import io.segmentredshift.webhook.Loopback;
import io.segmentredshift.webhook.WebhookHandler;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the Netty server has to prove: its event loop never waits, keep-alive, shutdown. */
class NettyServerTest {
  private static final byte[] TRACK =
      "{\"type\":\"track\",\"messageId\":\"m-1\",\"userId\":\"u-1\",\"event\":\"Signed Up\"}"
          .getBytes(StandardCharsets.UTF_8);

  /** A sink whose appends stay pending until the test completes {@link #durable}. */
  private final CompletableFuture<Void> durable = new CompletableFuture<>();

  private final CountDownLatch accepted = new CountDownLatch(1);
  private final EventSink pendingSink =
      (source, events) -> {
        accepted.countDown();
        return durable;
      };
  private final HttpClient client = Loopback.client();
  private SegmentNettyServer server;

  private SegmentNettyServer start(SegmentNettyServer.Builder builder) {
    server = builder.bindAddress("127.0.0.1").port(0).start();
    return server;
  }

  private static SegmentNettyServer.Builder oneEventLoop(EventSink sink) {
    WebhookHandler handler = WebhookHandler.builder(sink).allowUnauthenticated().build();
    return SegmentNettyServer.builder(handler).workerThreads(1);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private CompletableFuture<HttpResponse<byte[]>> postAsync() {
    HttpRequest post =
        HttpRequest.newBuilder(uri("/webhook"))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofByteArray(TRACK))
            .build();
    return client.sendAsync(post, HttpResponse.BodyHandlers.ofByteArray());
  }

  @AfterEach
  void stop() {
    durable.complete(null);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theOnlyEventLoopKeepsServingWhileAnAppendIsPending() throws Exception {
    start(oneEventLoop(pendingSink));
    CompletableFuture<HttpResponse<byte[]>> post = postAsync();
    assertTrue(accepted.await(10, TimeUnit.SECONDS), "the sink was called");
    // A second connection, served by the same (only) event loop, is answered at once.
    HttpClient other = Loopback.client();
    for (int i = 0; i < 20; i++) {
      HttpResponse<byte[]> health =
          Loopback.send(other, HttpRequest.newBuilder(uri("/health")).GET().build());
      assertEquals(200, health.statusCode());
    }
    assertFalse(post.isDone(), "no answer before the append is durable");
    durable.complete(null);
    HttpResponse<byte[]> answer = post.get(10, TimeUnit.SECONDS);
    assertEquals(200, answer.statusCode());
    assertEquals(1, Loopback.json(answer).get("accepted").asInt());
  }

  @Test
  void keepsConnectionsAliveAndClosesThemWhenAsked() throws IOException {
    start(oneEventLoop(pendingSink));
    URI base = uri("");
    try (Socket socket = Loopback.connect(base, Duration.ofSeconds(5))) {
      for (int i = 0; i < 3; i++) {
        Loopback.write(socket, Loopback.head(base, "GET", "/health"));
        Loopback.Raw r = Loopback.read(socket);
        assertEquals(200, r.status());
        assertEquals("keep-alive", r.header("Connection"));
      }
      Loopback.write(socket, Loopback.head(base, "GET", "/health", "Connection: close"));
      Loopback.Raw last = Loopback.read(socket);
      assertEquals(200, last.status());
      assertEquals("close", last.header("Connection"));
      assertTrue(Loopback.closedByServer(socket));
    }
  }

  @Test
  void answersPipelinedRequestsInTheirOrder() throws Exception {
    start(oneEventLoop(pendingSink));
    URI base = uri("");
    try (Socket socket = Loopback.connect(base, Duration.ofSeconds(10))) {
      Loopback.write(
          socket,
          Loopback.head(
              base,
              "POST",
              "/webhook",
              "Content-Type: application/json",
              "Content-Length: " + TRACK.length),
          TRACK,
          Loopback.head(base, "GET", "/health"));
      assertTrue(accepted.await(10, TimeUnit.SECONDS));
      socket.setSoTimeout(300);
      // The health answer is ready, but it must wait for the POST's.
      assertThrows(java.net.SocketTimeoutException.class, () -> socket.getInputStream().read());
      socket.setSoTimeout(10_000);
      durable.complete(null);
      Loopback.Raw first = Loopback.read(socket);
      assertEquals(1, first.json().get("accepted").asInt());
      Loopback.Raw second = Loopback.read(socket);
      assertEquals("ok", second.json().get("status").asText());
    }
  }

  @Test
  void closeLetsRequestsInFlightFinishAndRefusesNewConnections() throws Exception {
    start(oneEventLoop(pendingSink).shutdownGrace(Duration.ofSeconds(20)));
    int port = server.port();
    CompletableFuture<HttpResponse<byte[]>> post = postAsync();
    assertTrue(accepted.await(10, TimeUnit.SECONDS));
    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean refused = false;
    while (!refused && System.nanoTime() < deadline) {
      try {
        new Socket("127.0.0.1", port).close();
        Thread.sleep(20);
      } catch (IOException e) {
        refused = true;
      }
    }
    assertTrue(refused, "no new connections once closing");
    assertFalse(closing.isDone(), "close waits for the request in flight");
    durable.complete(null);
    HttpResponse<byte[]> answer = post.get(10, TimeUnit.SECONDS);
    assertEquals(200, answer.statusCode());
    assertEquals("close", answer.headers().firstValue("Connection").orElse(""));
    closing.get(10, TimeUnit.SECONDS);
  }

  @Test
  void closeRefusesWhatIsStillWaitingAfterTheGracePeriod() throws Exception {
    start(oneEventLoop(pendingSink).shutdownGrace(Duration.ofMillis(300)));
    CompletableFuture<HttpResponse<byte[]>> post = postAsync();
    assertTrue(accepted.await(10, TimeUnit.SECONDS));
    server.close();
    HttpResponse<byte[]> answer = post.get(10, TimeUnit.SECONDS);
    assertEquals(503, answer.statusCode());
    assertEquals("shutting_down", Loopback.json(answer).get("error").asText());
    assertEquals("30", answer.headers().firstValue("Retry-After").orElse(""));
  }
}
