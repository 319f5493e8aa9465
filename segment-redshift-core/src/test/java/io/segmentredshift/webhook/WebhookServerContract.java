package io.segmentredshift.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.auth.Signer;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.RetryPolicy;
import io.segmentredshift.spool.SpoolConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The HTTP surface end to end, the same for every container: real HTTP on loopback into a real
 * {@link SegmentRedshift} on the embedded PostgreSQL, and every test reads back what the warehouse
 * holds afterwards (tables, columns, values), or that it holds nothing. One subclass per container
 * (Jetty, Tomcat 10.1, Tomcat 11, Netty) starts its server around the handler; a subclass whose
 * {@link #spooled()} is false runs the same tests without a spool, reading every row right after
 * its 200.
 */
public abstract class WebhookServerContract extends ServerFixture {
  private static final String WHO =
      "\"userId\":\"u-1\",\"anonymousId\":\"anon-1\",\"context\":{\"library\":{\"name\":"
          + "\"analytics.js\",\"version\":\"4.1.0\"},\"ip\":\"203.0.113.9\"}";
  private static final String WHEN =
      "\"timestamp\":\"2024-03-05T10:00:00Z\",\"originalTimestamp\":\"2024-03-05T09:59:58Z\","
          + "\"sentAt\":\"2024-03-05T10:00:01Z\",\"receivedAt\":\"2024-03-05T10:00:02Z\"";

  /** A message as Segment's webhooks deliver it: user, context and all four times. */
  private static byte[] call(String type, String id, String fields) {
    return "{\"type\":\"%s\",\"messageId\":\"%s\",%s,%s,%s}"
        .formatted(type, id, WHO, WHEN, fields)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] track(String id) {
    return call(
        "track",
        id,
        "\"event\":\"Order Completed\",\"properties\":{\"total\":27.5,\"currency\":\"EUR\","
            + "\"items\":2,\"coupon\":{\"code\":\"SPRING\"},\"tags\":[\"a\",\"b\"]}");
  }

  private static byte[] identify(String id) {
    return call(
        "identify", id, "\"traits\":{\"email\":\"ada@example.com\",\"plan\":\"pro\",\"logins\":3}");
  }

  private static byte[] page(String id) {
    return call(
        "page",
        id,
        "\"name\":\"Pricing\",\"category\":\"Docs\",\"properties\":{\"path\":\"/pricing\","
            + "\"referrer\":\"https://example.com/\"}");
  }

  private static byte[] screen(String id) {
    return call("screen", id, "\"name\":\"Home\",\"properties\":{\"variant\":\"dark\"}");
  }

  private static byte[] group(String id) {
    return call(
        "group", id, "\"groupId\":\"org-1\",\"traits\":{\"name\":\"Acme\",\"employees\":42}");
  }

  private static byte[] alias(String id) {
    return call("alias", id, "\"previousId\":\"anon-0\"");
  }

  private static byte[] concat(String open, List<byte[]> items, String close) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(open.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(items.get(i));
    }
    out.writeBytes(close.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static void assertError(HttpResponse<byte[]> r, int status, String code) {
    assertEquals(status, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals(code, Loopback.json(r).get("error").asText());
  }

  private static void assertOk(HttpResponse<byte[]> r, int accepted) {
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    assertEquals(accepted, Loopback.json(r).get("accepted").asInt());
  }

  /** The columns of {@code schema.table}'s row {@code id} have the given values. */
  private Map<String, Object> assertRow(
      String schema, String table, String id, Object... columnsAndValues) {
    Map<String, Object> row = warehouse().row(schema, table, id);
    for (int i = 0; i < columnsAndValues.length; i += 2) {
      String column = (String) columnsAndValues[i];
      assertTrue(row.containsKey(column), schema + "." + table + " has no " + column + ": " + row);
      assertEquals(columnsAndValues[i + 1], row.get(column), schema + "." + table + "." + column);
    }
    return row;
  }

  /** The standard columns every call table has, as the signed webhooks here send them. */
  private Map<String, Object> assertCallRow(String table, String id, Object... columnsAndValues) {
    Map<String, Object> row = assertRow(HOOKS, table, id, columnsAndValues);
    assertRow(
        HOOKS,
        table,
        id,
        "user_id",
        "u-1",
        "anonymous_id",
        "anon-1",
        "context_library_name",
        "analytics.js",
        "context_library_version",
        "4.1.0",
        "context_ip",
        "203.0.113.9",
        "timestamp",
        Instant.parse("2024-03-05T10:00:00Z"),
        "original_timestamp",
        Instant.parse("2024-03-05T09:59:58Z"),
        "sent_at",
        Instant.parse("2024-03-05T10:00:01Z"),
        "received_at",
        Instant.parse("2024-03-05T10:00:02Z"));
    assertNotNull(row.get("uuid_ts"), "uuid_ts is the load time");
    return row;
  }

  /**
   * The row counts of {@code schema}'s tables but the bookkeeping ones ({@code _loads}, {@code
   * _columns}): the call tables, users, accounts and {@code _discards}.
   */
  private Map<String, Long> rowsOfEvents(String schema) {
    Map<String, Long> counts = warehouse().rowCounts(schema);
    counts.remove("_loads");
    counts.remove("_columns");
    return counts;
  }

  @Test
  void loadsASignedSingleDeliveryIntoTracksAndItsEventTable() {
    byte[] body = track("hook-track-1");
    assertOk(postSigned("/webhook", body, Signer.of(SECRET).sign(body)), 1);

    Map<String, Object> tracks =
        assertCallRow(
            "tracks", "hook-track-1", "event", "order_completed", "event_text", "Order Completed");
    assertFalse(tracks.containsKey("total"), "tracks has the common columns only");
    assertCallRow(
        "order_completed",
        "hook-track-1",
        "event",
        "order_completed",
        "total",
        27.5,
        "currency",
        "EUR",
        "items",
        2L,
        "coupon_code",
        "SPRING",
        "tags",
        "[\"a\",\"b\"]");
    assertEquals(Map.of("order_completed", 1L, "tracks", 1L), rowsOfEvents(HOOKS));
    assertEquals(Map.of(), warehouse().rowCounts(SHOP));
  }

  @Test
  void loadsASignedActionsArrayAtTheMountPointIntoTheTableOfEachCallType() {
    List<byte[]> items =
        List.of(
            identify("a-identify"),
            track("a-track"),
            page("a-page"),
            screen("a-screen"),
            group("a-group"),
            alias("a-alias"));
    byte[] body = concat("[", items, "]");
    assertOk(postSigned("/", body, Signer.of(SECRET).signFirstElement(body)), 6);

    assertCallRow("identifies", "a-identify", "email", "ada@example.com", "logins", 3L);
    assertRow(HOOKS, "users", "u-1", "email", "ada@example.com", "plan", "pro", "logins", 3L);
    assertCallRow("tracks", "a-track", "event_text", "Order Completed");
    assertCallRow("order_completed", "a-track", "total", 27.5);
    assertCallRow(
        "pages",
        "a-page",
        "name",
        "Pricing",
        "category",
        "Docs",
        "path",
        "/pricing",
        "referrer",
        "https://example.com/");
    assertCallRow("screens", "a-screen", "name", "Home", "variant", "dark");
    assertCallRow("groups", "a-group", "group_id", "org-1", "name", "Acme", "employees", 42L);
    assertRow(HOOKS, "accounts", "org-1", "name", "Acme", "employees", 42L);
    assertCallRow("aliases", "a-alias", "previous_id", "anon-0");
    assertEquals(
        Map.of(
            "identifies", 1L,
            "users", 1L,
            "tracks", 1L,
            "order_completed", 1L,
            "pages", 1L,
            "screens", 1L,
            "groups", 1L,
            "accounts", 1L,
            "aliases", 1L),
        rowsOfEvents(HOOKS));
  }

  @Test
  void loadsActionsDeliveriesSentWithPut() {
    byte[] body = group("put-group");
    HttpRequest put =
        request("/webhook")
            .header("X-Signature", Signer.of(SECRET).sign(body))
            .PUT(BodyPublishers.ofByteArray(body))
            .build();
    assertOk(Loopback.send(client, put), 1);
    assertCallRow("groups", "put-group", "group_id", "org-1");
    assertRow(HOOKS, "accounts", "org-1", "name", "Acme");
  }

  @Test
  void loadsARetriedDeliveryOnce() {
    byte[] body = track("retried-1");
    String signature = Signer.of(SECRET).sign(body);
    assertOk(postSigned("/webhook", body, signature), 1);
    assertEquals(List.of("retried-1"), warehouse().ids(HOOKS, "tracks"));
    // Segment retries when it did not see the answer: the same bytes again, after the load.
    assertOk(postSigned("/webhook", body, signature), 1);
    assertEquals(List.of("retried-1"), warehouse().ids(HOOKS, "tracks"));
    assertEquals(List.of("retried-1"), warehouse().ids(HOOKS, "order_completed"));
  }

  @Test
  void refusesMissingAndBadSignaturesAndStoresNothing() {
    byte[] body = track("unsigned-1");
    HttpResponse<byte[]> missing =
        Loopback.send(client, request("/webhook").POST(BodyPublishers.ofByteArray(body)).build());
    assertError(missing, 401, "unauthenticated");
    assertEquals("MISSING_SIGNATURE", Loopback.json(missing).get("reason").asText());
    HttpResponse<byte[]> bad = postSigned("/webhook", body, Signer.of("wrong").sign(body));
    assertError(bad, 401, "unauthenticated");
    assertEquals("SIGNATURE_MISMATCH", Loopback.json(bad).get("reason").asText());
    byte[] other = track("unsigned-2");
    assertError(postSigned("/", body, Signer.of(SECRET).sign(other)), 401, "unauthenticated");
    assertError(postSigned("/", body, "not-hex"), 401, "unauthenticated");
    assertNothingStored();
  }

  @Test
  void loadsTrackingApiCallsIntoTheWriteKeysSchema() {
    byte[] batch =
        concat(
            "{\"batch\":[",
            List.of(track("api-track"), screen("api-screen")),
            "],\"writeKey\":\"" + WRITE_KEY + "\"}");
    assertOk(
        Loopback.send(client, request("/v1/batch").POST(BodyPublishers.ofByteArray(batch)).build()),
        2);
    HttpRequest call =
        request("/v1/alias")
            .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
            .POST(BodyPublishers.ofByteArray(alias("api-alias")))
            .build();
    assertOk(Loopback.send(client, call), 1);
    HttpRequest unknown =
        request("/v1/track")
            .header("Authorization", WriteKeys.basicAuthorization("wk_unknown"))
            .POST(BodyPublishers.ofByteArray(track("api-unknown")))
            .build();
    HttpResponse<byte[]> refused = Loopback.send(client, unknown);
    assertError(refused, 401, "unauthenticated");
    assertTrue(
        refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
        refused.headers().map().toString());

    assertRow(SHOP, "tracks", "api-track", "user_id", "u-1", "event_text", "Order Completed");
    assertRow(SHOP, "order_completed", "api-track", "currency", "EUR", "coupon_code", "SPRING");
    assertRow(SHOP, "screens", "api-screen", "name", "Home", "variant", "dark");
    assertRow(SHOP, "aliases", "api-alias", "previous_id", "anon-0", "user_id", "u-1");
    assertEquals(List.of("api-track"), warehouse().ids(SHOP, "tracks"));
    assertEquals(Map.of(), warehouse().rowCounts(HOOKS), "nothing in the webhooks' schema");
  }

  @Test
  void answers413ForADeclaredOversizeBodyAfterReadingAlmostNothing() throws IOException {
    try (Socket socket = Loopback.connect(server.base(), Duration.ofSeconds(10))) {
      Loopback.write(
          socket,
          Loopback.head(
              server.base(),
              "POST",
              "/v1/batch",
              "Content-Type: application/json",
              "Authorization: " + WriteKeys.basicAuthorization(WRITE_KEY),
              "Content-Length: 1073741824"),
          new byte[64 * 1024]);
      // Only 64 KiB of the declared GiB were sent: the answer cannot wait for the body.
      Loopback.Raw r = Loopback.read(socket);
      assertEquals(413, r.status());
      assertEquals("too_large", r.json().get("error").asText());
    }
    assertNothingStored();
  }

  @Test
  void answers413ForAChunkedBodyOverTheLimit() throws Exception {
    // A valid batch that goes on past the limit: only its size is wrong.
    byte[] head =
        ("{\"batch\":[" + new String(track("chunked-1"), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) ' ');
    try (Socket socket = Loopback.connect(server.base(), Duration.ofSeconds(10))) {
      Loopback.write(
          socket,
          Loopback.head(
              server.base(),
              "POST",
              "/v1/batch",
              "Content-Type: application/json",
              "Authorization: " + WriteKeys.basicAuthorization(WRITE_KEY),
              "Transfer-Encoding: chunked"));
      Thread writer =
          new Thread(
              () -> {
                try {
                  Loopback.write(socket, chunk(head));
                  for (int i = 0; i < 10; i++) {
                    Loopback.write(socket, chunk(chunk));
                  }
                } catch (IOException e) {
                  // The server may stop reading once it has answered.
                }
              });
      writer.start();
      Loopback.Raw r = Loopback.read(socket);
      assertEquals(413, r.status());
      writer.join(10_000);
    }
    assertNothingStored();
  }

  private static byte[] chunk(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(data);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void answers400NamingWhatIsWrongWithMalformedJson() {
    byte[] cut =
        "{\"type\":\"track\",\"userId\":\"u-1\",\"event\":".getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> truncated = postSigned("/webhook", cut, Signer.of(SECRET).sign(cut));
    assertError(truncated, 400, "malformed");
    assertEquals("TRUNCATED", Loopback.json(truncated).get("reason").asText());
    byte[] wrong =
        "{\"type\":\"track\",\"userId\":[1],\"event\":\"E\"}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> type = postSigned("/webhook", wrong, Signer.of(SECRET).sign(wrong));
    assertError(type, 400, "malformed");
    JsonNode j = Loopback.json(type);
    assertEquals("WRONG_FIELD_TYPE", j.get("reason").asText());
    assertEquals("/userId", j.get("pointer").asText());
    assertTrue(j.get("message").asText().contains("/userId"), j.toString());
    byte[] notJson = "messageId=1&type=track".getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> text = postSigned("/webhook", notJson, Signer.of(SECRET).sign(notJson));
    assertError(text, 400, "malformed");
    assertEquals("NOT_JSON", Loopback.json(text).get("reason").asText());
    assertNothingStored();
  }

  @Test
  void loadsTheGoodMessagesOfAPartlyBadBatch() {
    byte[] bad = "{\"type\":\"track\",\"userId\":\"u\"}".getBytes(StandardCharsets.UTF_8);
    byte[] batch = concat("{\"batch\":[", List.of(bad, track("partly-good")), "]}");
    HttpResponse<byte[]> r =
        Loopback.send(
            client,
            request("/v1/import")
                .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
                .POST(BodyPublishers.ofByteArray(batch))
                .build());
    assertOk(r, 1);
    JsonNode j = Loopback.json(r);
    assertEquals(0, j.get("rejected").get(0).get("index").asInt());
    assertEquals("/event", j.get("rejected").get(0).get("pointer").asText());
    assertEquals(List.of("partly-good"), warehouse().ids(SHOP, "tracks"));
    assertRow(SHOP, "order_completed", "partly-good", "total", 27.5);
  }

  @Test
  void answers405WithAllowForAWrongMethod() {
    HttpResponse<byte[]> get = Loopback.send(client, request("/webhook").GET().build());
    assertError(get, 405, "method_not_allowed");
    assertEquals("POST, PUT, PATCH", get.headers().firstValue("Allow").orElse(""));
    HttpResponse<byte[]> delete = Loopback.send(client, request("/v1/batch").DELETE().build());
    assertError(delete, 405, "method_not_allowed");
    assertEquals("POST", delete.headers().firstValue("Allow").orElse(""));
    byte[] body = track("put-on-the-api");
    HttpRequest put =
        request("/v1/track")
            .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
            .PUT(BodyPublishers.ofByteArray(body))
            .build();
    assertError(Loopback.send(client, put), 405, "method_not_allowed");
    HttpResponse<byte[]> post =
        Loopback.send(client, request("/health").POST(BodyPublishers.noBody()).build());
    assertError(post, 405, "method_not_allowed");
    assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
    assertNothingStored();
  }

  @Test
  void answers415ForAWrongContentType() {
    byte[] body = track("xml-1");
    HttpRequest xml =
        request("/webhook")
            .setHeader("Content-Type", "application/xml")
            .header("X-Signature", Signer.of(SECRET).sign(body))
            .POST(BodyPublishers.ofByteArray(body))
            .build();
    assertError(Loopback.send(client, xml), 415, "unsupported_media_type");
    HttpRequest form =
        request("/v1/track")
            .setHeader("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
            .POST(BodyPublishers.ofByteArray(body))
            .build();
    assertError(Loopback.send(client, form), 415, "unsupported_media_type");
    HttpRequest brotli =
        request("/v1/track")
            .header("Content-Encoding", "br")
            .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
            .POST(BodyPublishers.ofByteArray(body))
            .build();
    assertError(Loopback.send(client, brotli), 415, "unsupported_media_type");
    assertNothingStored();
  }

  @Test
  void loadsGzipBodiesAndRefusesOnesThatInflatePastTheLimit() {
    byte[] batch = concat("{\"batch\":[", List.of(track("gzip-1")), "]}");
    HttpRequest ok =
        request("/v1/batch")
            .header("Content-Encoding", "gzip")
            .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
            .POST(BodyPublishers.ofByteArray(gzip(batch)))
            .build();
    assertOk(Loopback.send(client, ok), 1);
    byte[] bomb = gzip(new byte[64 << 20]);
    HttpRequest big =
        request("/v1/batch")
            .header("Content-Encoding", "gzip")
            .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
            .POST(BodyPublishers.ofByteArray(bomb))
            .build();
    assertError(Loopback.send(client, big), 413, "too_large");
    assertEquals(List.of("gzip-1"), warehouse().ids(SHOP, "tracks"));
    assertRow(SHOP, "order_completed", "gzip-1", "currency", "EUR");
  }

  @Test
  void answers503WithRetryAfterWhenTheSpoolIsFull() {
    assumeTrue(spooled(), "a pipeline with a spool");
    SegmentRedshift tiny =
        opened(
            pipeline()
                .spool(
                    otherDir.resolve("tiny-spool"),
                    SpoolConfig.defaults()
                        .withMaxTotalBytes(200)
                        .withRetryAfter(Duration.ofSeconds(7)))
                .build());
    Server full = opened(startQuietly(tiny.webhookHandler()));
    byte[] body = track("full-1");
    HttpResponse<byte[]> r = Loopback.send(client, signedTo(full.base(), body));
    assertError(r, 503, "spool_full");
    assertEquals("7", r.headers().firstValue("Retry-After").orElse(""));
    assertEquals(0, tiny.health().backlogRecords());
    assertEquals(0, tiny.webhookHandler().stats().acceptedEvents());
    assertNothingStored();
  }

  @Test
  void answers503WithRetryAfterWhenTheWarehouseIsDownWithoutASpool() throws IOException {
    assumeFalse(spooled(), "a pipeline without a spool");
    PGSimpleDataSource down = new PGSimpleDataSource();
    try (ServerSocket closed = new ServerSocket(0)) {
      // A port nothing listens on once the socket is closed.
      down.setPortNumbers(new int[] {closed.getLocalPort()});
    }
    down.setServerNames(new String[] {"127.0.0.1"});
    down.setDatabaseName("nowhere");
    down.setUser("nobody");
    down.setConnectTimeout(2);
    SegmentRedshift unreachable =
        opened(
            SegmentRedshift.builder(down)
                .name("unreachable")
                .dialect(Dialect.postgres())
                .schema(HOOKS)
                .secrets(SECRET)
                .retryPolicy(RetryPolicy.none())
                .build());
    Server broken = opened(startQuietly(unreachable.webhookHandler()));
    HttpResponse<byte[]> r = Loopback.send(client, signedTo(broken.base(), track("down-1")));
    assertError(r, 503, "unavailable");
    assertTrue(
        r.headers().firstValue("Retry-After").orElse("").matches("[1-9][0-9]*"),
        r.headers().map().toString());
    assertNotNull(unreachable.health().lastError(), "the failed load is in the health");
    assertNothingStored();
  }

  private Server startQuietly(WebhookHandler handler) {
    try {
      return start(handler);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpRequest signedTo(URI base, byte[] body) {
    return HttpRequest.newBuilder(URI.create(base + "/webhook"))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .header("X-Signature", Signer.of(SECRET).sign(body))
        .POST(BodyPublishers.ofByteArray(body))
        .build();
  }

  @Test
  void reportsHealthWithTheLastLoad() {
    byte[] body = identify("health-1");
    Instant before = Instant.now();
    assertOk(postSigned("/webhook", body, Signer.of(SECRET).sign(body)), 1);
    assertEquals(List.of("health-1"), warehouse().ids(HOOKS, "identifies"));
    HttpResponse<byte[]> r = Loopback.send(client, request("/health").GET().build());
    assertEquals(200, r.statusCode());
    JsonNode j = Loopback.json(r);
    assertEquals("ok", j.get("status").asText());
    assertEquals(0, j.get("spool").get("backlogRecords").asLong(), j.toString());
    Instant lastLoad = Instant.parse(j.get("lastLoadAt").asText());
    assertFalse(lastLoad.isBefore(before), j.toString());
    assertEquals(1, j.get("requests").get("acceptedEvents").asLong(), j.toString());
  }

  @Test
  void answers404ForAnUnknownPath() {
    assertError(
        Loopback.send(client, request("/v2/track").POST(BodyPublishers.noBody()).build()),
        404,
        "not_found");
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
}
