package io.segmentredshift.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmentredshift.auth.Signer;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventLimits;
import io.segmentredshift.spool.Spool;
import io.segmentredshift.spool.SpoolConfig;
import io.segmentredshift.spool.SpoolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The handler alone, without a server: every answer of the HTTP surface. */
class WebhookHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "segment-shared-secret";
  private static final String KEY = "wk_live_123";
  private static final Instant NOW = Instant.parse("2024-03-05T12:00:00Z");
  private static final String TRACK =
      "{\"type\":\"track\",\"messageId\":\"m-1\",\"userId\":\"u-1\",\"event\":\"Signed Up\"}";

  /** A sink that records what it was given and completes as told. */
  private static final class RecordingSink implements EventSink {
    final List<String> sources = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    CompletableFuture<Void> next = CompletableFuture.completedFuture(null);

    @Override
    public synchronized CompletableFuture<Void> accept(String source, List<Event> batch) {
      sources.add(source);
      events.addAll(batch);
      return next;
    }
  }

  private final RecordingSink sink = new RecordingSink();

  private WebhookHandler.Builder builder() {
    return WebhookHandler.builder(sink)
        .secrets(SECRET)
        .writeKeys(WriteKeys.of(Map.of(KEY, "shop")))
        .defaultSource("hooks")
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static WebhookResponse answer(WebhookHandler handler, WebhookRequest request) {
    try {
      return handler.handle(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static WebhookRequest post(String path, byte[] body, String... headers) {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i], headers[i + 1]);
    }
    return WebhookRequest.of("POST", path, map, body);
  }

  private static JsonNode json(WebhookResponse response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Test
  void refusesToBeBuiltWithoutAnyCredentialUnlessToldTo() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> WebhookHandler.builder(sink).build());
    assertTrue(e.getMessage().contains("allowUnauthenticated()"), e.getMessage());
    WebhookHandler open = WebhookHandler.builder(sink).allowUnauthenticated().build();
    assertEquals(200, answer(open, post("/webhook", utf8(TRACK))).status());
    assertEquals(List.of("segment"), sink.sources);
  }

  @Test
  void storesASignedDeliveryForTheDefaultSource() {
    byte[] body = utf8(TRACK);
    WebhookResponse r =
        answer(builder().build(), post("/", body, "x-signature", Signer.of(SECRET).sign(body)));
    assertEquals(200, r.status(), r.toString());
    assertEquals("{\"accepted\":1,\"rejected\":[]}", r.bodyText());
    assertEquals("application/json", r.header("Content-Type"));
    assertEquals(List.of("hooks"), sink.sources);
    assertEquals("m-1", sink.events.get(0).messageId());
    assertEquals(NOW, sink.events.get(0).receivedAt());
  }

  @Test
  void refusesMissingAndWrongSignaturesWithoutStoring() {
    WebhookHandler handler = builder().build();
    WebhookResponse missing = answer(handler, post("/webhook", utf8(TRACK)));
    assertEquals(401, missing.status());
    assertEquals("MISSING_SIGNATURE", json(missing).get("reason").asText());
    String wrong = Signer.of("another-secret").sign(utf8(TRACK));
    WebhookResponse mismatch = answer(handler, post("/webhook", utf8(TRACK), "X-Signature", wrong));
    assertEquals(401, mismatch.status());
    assertEquals("SIGNATURE_MISMATCH", json(mismatch).get("reason").asText());
    assertFalse(mismatch.bodyText().contains(wrong), "the answer never echoes the signature");
    assertTrue(sink.events.isEmpty());
  }

  @Test
  void acceptsPutAndPatchOnWebhookRoutesOnly() {
    WebhookHandler handler = builder().build();
    byte[] body = utf8(TRACK);
    String sig = Signer.of(SECRET).sign(body);
    for (String method : List.of("PUT", "PATCH")) {
      Map<String, String> h = Map.of("Content-Type", "application/json", "X-Signature", sig);
      assertEquals(200, answer(handler, WebhookRequest.of(method, "/webhook", h, body)).status());
      WebhookResponse r = answer(handler, WebhookRequest.of(method, "/v1/batch", h, body));
      assertEquals(405, r.status());
      assertEquals("POST", r.header("Allow"));
    }
    WebhookResponse get = answer(handler, WebhookRequest.of("GET", "/webhook", Map.of(), body));
    assertEquals(405, get.status());
    assertEquals("POST, PUT, PATCH", get.header("Allow"));
    assertEquals("method_not_allowed", json(get).get("error").asText());
  }

  @Test
  void authenticatesTrackingApiCallsByBasicCredentialsOrBodyWriteKeyAndDropsTheKey() {
    WebhookHandler handler = builder().build();
    byte[] batch = utf8("{\"batch\":[" + TRACK + "],\"writeKey\":\"" + KEY + "\"}"); // body key
    assertEquals(200, answer(handler, post("/v1/batch", batch)).status());
    byte[] call =
        utf8("{\"userId\":\"u-2\",\"traits\":{\"plan\":\"team\"},\"writeKey\":\"" + KEY + "\"}");
    assertEquals(200, answer(handler, post("/v1/identify", call)).status());
    byte[] page = utf8("{\"anonymousId\":\"a-1\",\"name\":\"Home\"}");
    WebhookResponse basic =
        answer(handler, post("/v1/page", page, "Authorization", WriteKeys.basicAuthorization(KEY)));
    assertEquals(200, basic.status(), basic.toString());
    assertEquals(List.of("shop", "shop", "shop"), sink.sources);
    for (Event e : sink.events) {
      assertNull(e.writeKey(), "write keys are not stored");
    }
  }

  @Test
  void refusesUnknownWriteKeysEvenWhenTheBodyIsFine() {
    WebhookHandler handler = builder().build();
    WebhookResponse r =
        answer(
            handler,
            post("/v1/track", utf8(TRACK), "Authorization", WriteKeys.basicAuthorization("nope")));
    assertEquals(401, r.status());
    assertEquals("UNKNOWN_WRITE_KEY", json(r).get("reason").asText());
    assertEquals("Basic realm=\"segment\"", r.header("WWW-Authenticate"));
    WebhookResponse none = answer(handler, post("/v1/track", utf8(TRACK)));
    assertEquals("MISSING_WRITE_KEY", json(none).get("reason").asText());
    assertTrue(sink.events.isEmpty());
  }

  @Test
  void closesTheTrackingApiWhenOnlyASecretIsConfigured() {
    WebhookHandler handler = WebhookHandler.builder(sink).secrets(SECRET).build();
    WebhookResponse r = answer(handler, post("/v1/track", utf8(TRACK)));
    assertEquals(401, r.status());
    assertTrue(json(r).get("message").asText().contains("no write keys"));
  }

  @Test
  void acceptsTextPlainOnTheTrackingApiButNotOnWebhooks() {
    WebhookHandler handler = builder().build();
    byte[] body = utf8(TRACK);
    String auth = WriteKeys.basicAuthorization(KEY);
    Map<String, String> text = Map.of("Content-Type", "text/plain", "Authorization", auth);
    assertEquals(200, answer(handler, WebhookRequest.of("POST", "/v1/track", text, body)).status());
    Map<String, String> charset =
        Map.of(
            "Content-Type",
            "Application/JSON; charset=UTF-8",
            "X-Signature",
            Signer.of(SECRET).sign(body));
    assertEquals(200, answer(handler, WebhookRequest.of("POST", "/", charset, body)).status());
    Map<String, String> plainHook =
        Map.of("Content-Type", "text/plain", "X-Signature", Signer.of(SECRET).sign(body));
    WebhookResponse r = answer(handler, WebhookRequest.of("POST", "/", plainHook, body));
    assertEquals(415, r.status());
    assertEquals("unsupported_media_type", json(r).get("error").asText());
    WebhookResponse none =
        answer(
            handler, WebhookRequest.of("POST", "/v1/track", Map.of("Authorization", auth), body));
    assertEquals(415, none.status());
  }

  @Test
  void answers413BeforeReadingWhenContentLengthIsOverTheLimit() {
    WebhookHandler handler = builder().build();
    InputStream never =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("the body must not be read");
          }
        };
    WebhookRequest request =
        new WebhookRequest(
            "POST",
            "/webhook",
            name ->
                switch (name.toLowerCase()) {
                  case "content-type" -> "application/json";
                  case "content-length" -> "10000000000";
                  default -> null;
                },
            never);
    WebhookResponse r = answer(handler, request);
    assertEquals(413, r.status());
    assertEquals("the body is larger than 512000 bytes", json(r).get("message").asText());
  }

  @Test
  void neverReadsMoreThanTheLimitPlusOneByte() {
    WebhookHandler handler =
        builder().limits(EventLimits.defaults().withMaxRequestBytes(1000)).build();
    long[] read = {0};
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            read[0]++;
            return ' ';
          }
        };
    WebhookRequest request =
        new WebhookRequest(
            "POST",
            "/v1/batch",
            n -> n.equalsIgnoreCase("content-type") ? "text/plain" : null,
            endless);
    assertEquals(413, answer(handler, request).status());
    assertEquals(1001, read[0]);
  }

  @Test
  void decompressesGzipBodiesAndStopsZipBombsAtTheLimit() {
    WebhookHandler handler = builder().build();
    byte[] batch = utf8("{\"batch\":[" + TRACK + "]}");
    String auth = WriteKeys.basicAuthorization(KEY);
    WebhookResponse ok =
        answer(
            handler,
            post("/v1/batch", gzip(batch), "Content-Encoding", "gzip", "Authorization", auth));
    assertEquals(200, ok.status(), ok.toString());
    byte[] bomb = gzip(new byte[50 << 20]);
    assertTrue(bomb.length < 100_000, "50 MiB of zeros compress to " + bomb.length);
    WebhookResponse big =
        answer(handler, post("/v1/batch", bomb, "Content-Encoding", "gzip", "Authorization", auth));
    assertEquals(413, big.status());
    WebhookResponse corrupt =
        answer(
            handler, post("/v1/batch", batch, "Content-Encoding", "gzip", "Authorization", auth));
    assertEquals(400, corrupt.status());
    assertEquals("BAD_COMPRESSION", json(corrupt).get("reason").asText());
    WebhookResponse br =
        answer(handler, post("/v1/batch", batch, "Content-Encoding", "br", "Authorization", auth));
    assertEquals(415, br.status());
  }

  @Test
  void answersMalformedBodiesWith400NamingReasonAndPointer() {
    WebhookHandler handler = builder().build();
    String auth = WriteKeys.basicAuthorization(KEY);
    WebhookResponse cut =
        answer(
            handler,
            post("/v1/track", utf8("{\"userId\":\"u\",\"event\":"), "Authorization", auth));
    assertEquals(400, cut.status());
    assertEquals("TRUNCATED", json(cut).get("reason").asText());
    WebhookResponse type =
        answer(
            handler,
            post(
                "/v1/track",
                utf8("{\"userId\":{\"a\":1},\"event\":\"E\"}"),
                "Authorization",
                auth));
    assertEquals(400, type.status());
    JsonNode j = json(type);
    assertEquals("malformed", j.get("error").asText());
    assertEquals("WRONG_FIELD_TYPE", j.get("reason").asText());
    assertEquals("/userId", j.get("pointer").asText());
    assertTrue(sink.events.isEmpty());
  }

  @Test
  void storesTheGoodPartOfABatchAndNamesTheRejectedMessages() {
    WebhookHandler handler = builder().build();
    String auth = WriteKeys.basicAuthorization(KEY);
    byte[] mixed =
        utf8("{\"batch\":[" + TRACK + ",{\"type\":\"track\",\"userId\":\"u\"}," + TRACK + "]}");
    WebhookResponse r = answer(handler, post("/v1/batch", mixed, "Authorization", auth));
    assertEquals(200, r.status());
    JsonNode j = json(r);
    assertEquals(2, j.get("accepted").asInt());
    assertEquals(1, j.get("rejected").get(0).get("index").asInt());
    assertEquals("MISSING_FIELD", j.get("rejected").get(0).get("reason").asText());
    assertEquals("/event", j.get("rejected").get(0).get("pointer").asText());
    byte[] bad = utf8("{\"batch\":[{\"type\":\"track\",\"userId\":\"u\"}]}");
    WebhookResponse all = answer(handler, post("/v1/batch", bad, "Authorization", auth));
    assertEquals(400, all.status());
    assertEquals(1, json(all).get("rejected").size());
    WebhookResponse empty =
        answer(handler, post("/v1/batch", utf8("{\"batch\":[]}"), "Authorization", auth));
    assertEquals("{\"accepted\":0,\"rejected\":[]}", empty.bodyText());
    assertEquals(2, sink.events.size());
    assertEquals(2, handler.stats().rejectedEvents());
  }

  @Test
  void answers503WithRetryAfterWhenTheSpoolIsFullAnd413WhenARecordIsTooBig() throws Exception {
    WebhookHandler handler = builder().build();
    String auth = WriteKeys.basicAuthorization(KEY);
    sink.next = failedWith(SpoolException.Reason.SPOOL_FULL);
    WebhookResponse full = answer(handler, post("/v1/track", utf8(TRACK), "Authorization", auth));
    assertEquals(503, full.status());
    assertEquals("spool_full", json(full).get("error").asText());
    assertEquals("7", full.header("Retry-After"));
    sink.next = failedWith(SpoolException.Reason.RECORD_TOO_LARGE);
    assertEquals(
        413, answer(handler, post("/v1/track", utf8(TRACK), "Authorization", auth)).status());
    sink.next = CompletableFuture.failedFuture(new IllegalStateException("disk on fire"));
    WebhookResponse other = answer(handler, post("/v1/track", utf8(TRACK), "Authorization", auth));
    assertEquals(503, other.status());
    assertEquals("30", other.header("Retry-After"));
    assertFalse(other.bodyText().contains("fire"));
    assertEquals(2, handler.stats().unavailable());
    assertEquals(0, handler.stats().acceptedEvents());
  }

  /** A real SpoolException with this reason, from a real spool. */
  private static CompletableFuture<Void> failedWith(SpoolException.Reason reason) throws Exception {
    Path dir = Files.createTempDirectory("spool");
    SpoolConfig config =
        SpoolConfig.defaults()
            .withMaxTotalBytes(10)
            .withMaxRecordBytes(10)
            .withRetryAfter(Duration.ofSeconds(7));
    try (Spool spool = Spool.open(dir, config)) {
      byte[] record = new byte[reason == SpoolException.Reason.RECORD_TOO_LARGE ? 11 : 5];
      CompletableFuture<Void> f = spool.append(List.of(record));
      f.exceptionally(e -> null).join();
      return f;
    }
  }

  @Test
  void waitsForTheSinkBeforeAnsweringAndDrainsOnShutdown() throws Exception {
    WebhookHandler handler = builder().build();
    CompletableFuture<Void> durable = new CompletableFuture<>();
    sink.next = durable;
    byte[] body = utf8(TRACK);
    CompletableFuture<WebhookResponse> pending =
        handler
            .handle(post("/webhook", body, "X-Signature", Signer.of(SECRET).sign(body)))
            .toCompletableFuture();
    assertFalse(pending.isDone(), "no answer before the sink completes");
    CompletableFuture<Void> drained = handler.shutdown();
    assertFalse(drained.isDone(), "a request is still in flight");
    WebhookResponse refused = answer(handler, post("/webhook", body, "X-Signature", "x"));
    assertEquals(503, refused.status());
    assertEquals("shutting_down", json(refused).get("error").asText());
    assertEquals("30", refused.header("Retry-After"));
    WebhookResponse health =
        answer(handler, WebhookRequest.of("GET", "/health", Map.of(), new byte[0]));
    assertEquals(503, health.status());
    assertEquals("shutting_down", json(health).get("status").asText());
    durable.complete(null);
    assertEquals(200, pending.get(5, TimeUnit.SECONDS).status());
    drained.get(5, TimeUnit.SECONDS);
    assertEquals(new WebhookStats(3, 1, 0, 0, 2), handler.stats());
  }

  @Test
  void reportsHealthFromItsSupplier() {
    Instant load = Instant.parse("2024-03-05T11:59:00Z");
    WebhookHandler handler =
        builder()
            .health(() -> new Health(true, 4096, 12, load, load, "COPY failed: table x"))
            .build();
    WebhookResponse r = answer(handler, WebhookRequest.of("GET", "/health", Map.of(), new byte[0]));
    assertEquals(200, r.status());
    JsonNode j = json(r);
    assertEquals("ok", j.get("status").asText());
    assertEquals(4096, j.get("spool").get("backlogBytes").asLong());
    assertEquals(12, j.get("spool").get("backlogRecords").asLong());
    assertEquals("2024-03-05T11:59:00Z", j.get("lastLoadAt").asText());
    assertEquals("COPY failed: table x", j.get("lastError").get("message").asText());
    WebhookHandler down = builder().health(() -> new Health(false, 0, 0, null, null, null)).build();
    WebhookResponse d = answer(down, WebhookRequest.of("GET", "/health", Map.of(), new byte[0]));
    assertEquals(503, d.status());
    assertEquals("down", json(d).get("status").asText());
  }

  @Property(tries = 300)
  void neverAnswersGarbageWithA5xxOrWithoutJson(
      @ForAll("paths") String path,
      @ForAll("contentTypes") String contentType,
      @ForAll @Size(max = 300) byte[] body,
      @ForAll boolean basic) {
    WebhookHandler handler = builder().build();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    if (basic) {
      headers.put("Authorization", WriteKeys.basicAuthorization(KEY));
    }
    WebhookResponse r = answer(handler, WebhookRequest.of("POST", path, headers, body));
    assertTrue(r.status() < 500, r.toString());
    JsonNode j = json(r);
    assertTrue(j.has(r.status() == 200 ? "accepted" : "error"), r.toString());
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of("/", "/webhook", "/v1/batch", "/v1/track", "/v1/alias", "/nope");
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of("application/json", "text/plain; charset=utf-8", "text/html", "");
  }

  @Test
  void answers404ForUnknownPathsWithoutEchoingControlCharacters() {
    WebhookResponse r = answer(builder().build(), post("/v2/track\r\nX-Injected: 1", utf8(TRACK)));
    assertEquals(404, r.status());
    assertEquals("no route /v2/track??X-Injected: 1", json(r).get("message").asText());
  }
}
