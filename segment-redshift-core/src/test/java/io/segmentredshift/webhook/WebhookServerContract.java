package io.segmentredshift.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentredshift.auth.Signer;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.spool.EventRecord;
import io.segmentredshift.spool.Spool;
import io.segmentredshift.spool.SpoolConfig;
import io.segmentredshift.testkit.SegmentTraffic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The HTTP surface over real HTTP on loopback, the same for every container: one subclass per
 * container (Jetty, Tomcat 10.1, Tomcat 11, Netty) starts its server around the handler, and every
 * test asserts what the answer was and what the durable spool holds afterwards.
 */
public abstract class WebhookServerContract extends ServerFixture {
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

  @Test
  void storesASignedSingleDelivery() {
    byte[] body = message(SegmentTraffic.Kind.TRACK);
    HttpResponse<byte[]> r = postSigned("/webhook", body, Signer.of(SECRET).sign(body));
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    assertEquals(1, Loopback.json(r).get("accepted").asInt());
    List<EventRecord> records = stored(spool);
    assertEquals(1, records.size());
    assertEquals("hooks", records.get(0).source());
    assertEquals(idOf(body), records.get(0).event().messageId());
  }

  @Test
  void storesASignedActionsArrayAtTheMountPoint() {
    List<byte[]> items =
        List.of(
            message(SegmentTraffic.Kind.IDENTIFY),
            message(SegmentTraffic.Kind.TRACK),
            message(SegmentTraffic.Kind.PAGE));
    byte[] body = concat("[", items, "]");
    HttpResponse<byte[]> r = postSigned("/", body, Signer.of(SECRET).signFirstElement(body));
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    assertEquals(3, Loopback.json(r).get("accepted").asInt());
    assertEquals(items.stream().map(WebhookServerContract::idOf).toList(), storedIds(spool));
  }

  @Test
  void storesActionsDeliveriesSentWithPut() {
    byte[] body = message(SegmentTraffic.Kind.GROUP);
    HttpRequest put =
        request("/webhook")
            .header("X-Signature", Signer.of(SECRET).sign(body))
            .PUT(BodyPublishers.ofByteArray(body))
            .build();
    assertEquals(200, Loopback.send(client, put).statusCode());
    assertEquals(List.of(idOf(body)), storedIds(spool));
  }

  @Test
  void refusesMissingAndBadSignaturesAndStoresNothing() {
    byte[] body = message(SegmentTraffic.Kind.TRACK);
    HttpResponse<byte[]> missing =
        Loopback.send(client, request("/webhook").POST(BodyPublishers.ofByteArray(body)).build());
    assertError(missing, 401, "unauthenticated");
    assertEquals("MISSING_SIGNATURE", Loopback.json(missing).get("reason").asText());
    HttpResponse<byte[]> bad = postSigned("/webhook", body, Signer.of("wrong").sign(body));
    assertError(bad, 401, "unauthenticated");
    assertEquals("SIGNATURE_MISMATCH", Loopback.json(bad).get("reason").asText());
    byte[] other = message(SegmentTraffic.Kind.TRACK);
    assertError(postSigned("/", body, Signer.of(SECRET).sign(other)), 401, "unauthenticated");
    assertEquals(List.of(), stored(spool));
  }

  @Test
  void storesTrackingApiCallsUnderTheWriteKeysSource() {
    byte[] batch =
        concat(
            "{\"batch\":[",
            List.of(message(SegmentTraffic.Kind.TRACK), message(SegmentTraffic.Kind.SCREEN)),
            "],\"writeKey\":\"" + WRITE_KEY + "\"}");
    assertEquals(
        200,
        Loopback.send(client, request("/v1/batch").POST(BodyPublishers.ofByteArray(batch)).build())
            .statusCode());
    byte[] alias = message(SegmentTraffic.Kind.ALIAS);
    HttpRequest call =
        request("/v1/alias")
            .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
            .POST(BodyPublishers.ofByteArray(alias))
            .build();
    HttpResponse<byte[]> r = Loopback.send(client, call);
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    List<EventRecord> records = stored(spool);
    assertEquals(3, records.size());
    assertTrue(records.stream().allMatch(rec -> rec.source().equals("shop")));
    assertEquals(idOf(alias), records.get(2).event().messageId());
    HttpRequest unknown =
        request("/v1/track")
            .header("Authorization", WriteKeys.basicAuthorization("wk_unknown"))
            .POST(BodyPublishers.ofByteArray(message(SegmentTraffic.Kind.TRACK)))
            .build();
    assertError(Loopback.send(client, unknown), 401, "unauthenticated");
    assertEquals(3, stored(spool).size());
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
              "Content-Length: 1073741824"),
          new byte[64 * 1024]);
      // Only 64 KiB of the declared GiB were sent: the answer cannot wait for the body.
      Loopback.Raw r = Loopback.read(socket);
      assertEquals(413, r.status());
      assertEquals("too_large", r.json().get("error").asText());
    }
    assertEquals(List.of(), stored(spool));
  }

  @Test
  void answers413ForAChunkedBodyOverTheLimit() throws Exception {
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) ' ');
    try (Socket socket = Loopback.connect(server.base(), Duration.ofSeconds(10))) {
      Loopback.write(
          socket,
          Loopback.head(
              server.base(),
              "POST",
              "/v1/batch",
              "Content-Type: application/json",
              "Transfer-Encoding: chunked"));
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 10; i++) {
                    Loopback.write(
                        socket,
                        (Integer.toHexString(chunk.length) + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII),
                        chunk,
                        "\r\n".getBytes(StandardCharsets.US_ASCII));
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
    assertEquals(List.of(), stored(spool));
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
    assertEquals(List.of(), stored(spool));
  }

  @Test
  void storesTheGoodMessagesOfAPartlyBadBatch() {
    byte[] good = message(SegmentTraffic.Kind.TRACK);
    byte[] bad = "{\"type\":\"track\",\"userId\":\"u\"}".getBytes(StandardCharsets.UTF_8);
    byte[] batch = concat("{\"batch\":[", List.of(bad, good), "]}");
    HttpResponse<byte[]> r =
        Loopback.send(
            client,
            request("/v1/import")
                .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
                .POST(BodyPublishers.ofByteArray(batch))
                .build());
    assertEquals(200, r.statusCode());
    JsonNode j = Loopback.json(r);
    assertEquals(1, j.get("accepted").asInt());
    assertEquals(0, j.get("rejected").get(0).get("index").asInt());
    assertEquals("/event", j.get("rejected").get(0).get("pointer").asText());
    assertEquals(List.of(idOf(good)), storedIds(spool));
  }

  @Test
  void answers405WithAllowForAWrongMethod() {
    HttpResponse<byte[]> get = Loopback.send(client, request("/webhook").GET().build());
    assertError(get, 405, "method_not_allowed");
    assertEquals("POST, PUT, PATCH", get.headers().firstValue("Allow").orElse(""));
    HttpResponse<byte[]> delete = Loopback.send(client, request("/v1/batch").DELETE().build());
    assertError(delete, 405, "method_not_allowed");
    assertEquals("POST", delete.headers().firstValue("Allow").orElse(""));
    HttpResponse<byte[]> post =
        Loopback.send(client, request("/health").POST(BodyPublishers.noBody()).build());
    assertError(post, 405, "method_not_allowed");
    assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void answers415ForAWrongContentType() {
    byte[] body = message(SegmentTraffic.Kind.TRACK);
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
    assertEquals(List.of(), stored(spool));
  }

  @Test
  void storesGzipBodiesAndRefusesOnesThatInflatePastTheLimit() throws IOException {
    byte[] track = message(SegmentTraffic.Kind.TRACK);
    byte[] batch = concat("{\"batch\":[", List.of(track), "]}");
    HttpRequest ok =
        request("/v1/batch")
            .header("Content-Encoding", "gzip")
            .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
            .POST(BodyPublishers.ofByteArray(gzip(batch)))
            .build();
    assertEquals(200, Loopback.send(client, ok).statusCode());
    byte[] bomb = gzip(new byte[64 << 20]);
    HttpRequest big =
        request("/v1/batch")
            .header("Content-Encoding", "gzip")
            .header("Authorization", WriteKeys.basicAuthorization(WRITE_KEY))
            .POST(BodyPublishers.ofByteArray(bomb))
            .build();
    assertError(Loopback.send(client, big), 413, "too_large");
    assertEquals(List.of(idOf(track)), storedIds(spool));
  }

  @Test
  void answers503WithRetryAfterWhenTheSpoolIsFull() throws Exception {
    Spool tiny =
        opened(
            Spool.open(
                otherDir,
                SpoolConfig.defaults()
                    .withMaxTotalBytes(200)
                    .withRetryAfter(Duration.ofSeconds(7))));
    Server full = opened(start(handler(tiny).build()));
    byte[] body = message(SegmentTraffic.Kind.TRACK);
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(full.base() + "/webhook"))
            .header("Content-Type", "application/json")
            .header("X-Signature", Signer.of(SECRET).sign(body))
            .POST(BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<byte[]> r = Loopback.send(client, post);
    assertError(r, 503, "spool_full");
    assertEquals("7", r.headers().firstValue("Retry-After").orElse(""));
    assertEquals(List.of(), stored(tiny));
  }

  @Test
  void reportsHealthWithTheSpoolBacklog() {
    byte[] body = message(SegmentTraffic.Kind.IDENTIFY);
    assertEquals(200, postSigned("/webhook", body, Signer.of(SECRET).sign(body)).statusCode());
    HttpResponse<byte[]> r = Loopback.send(client, request("/health").GET().build());
    assertEquals(200, r.statusCode());
    JsonNode j = Loopback.json(r);
    assertEquals("ok", j.get("status").asText());
    assertEquals(1, j.get("spool").get("backlogRecords").asLong());
    assertTrue(j.get("spool").get("backlogBytes").asLong() > body.length / 2, j.toString());
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
