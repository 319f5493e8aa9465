package io.segmentredshift.examples.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.auth.Signer;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.examples.ExampleProcess;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class NettyExampleTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

  @TempDir Path dir;

  private static HttpResponse<String> post(URI uri, String body, String header, String value)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void signedWebhooksAndTrackingApiBatchesReachTheirTables() throws Exception {
    Map<String, String> env =
        Map.of(
            "JDBC_URL", PG.jdbcUrl() + "?user=" + PG.user(),
            "SEGMENT_SECRET", "hook-secret",
            "WRITE_KEY", "wk_example",
            "PORT", "0",
            "SPOOL_DIR", dir.resolve("spool").toString());
    try (ExampleProcess netty = ExampleProcess.start(NettyExample.class, env, List.of())) {
      String base = "http://127.0.0.1:" + netty.await(LISTENING);

      String track =
          "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\",\"messageId\":\"netty-1\"}";
      HttpResponse<String> signed =
          post(
              URI.create(base + "/webhook"),
              track,
              "X-Signature",
              Signer.of("hook-secret").sign(track.getBytes(StandardCharsets.UTF_8)));
      assertEquals(200, signed.statusCode(), signed.body());

      String batch =
          "{\"batch\":["
              + "{\"type\":\"identify\",\"userId\":\"u1\",\"messageId\":\"netty-2\","
              + "\"traits\":{\"email\":\"u1@example.com\"}},"
              + "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u2\","
              + "\"messageId\":\"netty-3\"}]}";
      HttpResponse<String> keyed =
          post(
              URI.create(base + "/v1/batch"),
              batch,
              "Authorization",
              WriteKeys.basicAuthorization("wk_example"));
      assertEquals(200, keyed.statusCode(), keyed.body());
      assertEquals("{\"accepted\":2,\"rejected\":[]}", keyed.body());

      HttpResponse<String> wrongKey =
          post(
              URI.create(base + "/v1/batch"),
              batch,
              "Authorization",
              WriteKeys.basicAuthorization("wk_other"));
      assertEquals(401, wrongKey.statusCode(), wrongKey.body());

      assertEquals(
          2,
          ExampleProcess.awaitCount(PG.dataSource(), "SELECT count(*) FROM segment.signed_up", 2),
          netty.output());
      assertEquals(
          1,
          ExampleProcess.awaitCount(
              PG.dataSource(),
              "SELECT count(*) FROM segment.users WHERE id = 'u1' AND email = 'u1@example.com'",
              1),
          netty.output());
      assertEquals(143, netty.stop(), netty.output());
      assertTrue(netty.output().contains("stopped\n"), netty.output());
    }
  }

  @Test
  void refusesToStartWithoutASecretOrAWriteKey() throws Exception {
    Map<String, String> env =
        Map.of(
            "JDBC_URL",
            PG.jdbcUrl() + "?user=" + PG.user(),
            "PORT",
            "0",
            "SPOOL_DIR",
            dir.resolve("spool").toString());
    try (ExampleProcess netty = ExampleProcess.start(NettyExample.class, env, List.of())) {
      assertEquals(1, netty.awaitExit(), netty.output());
      assertTrue(netty.output().contains("set SEGMENT_SECRET, WRITE_KEY or both"), netty.output());
    }
  }
}
