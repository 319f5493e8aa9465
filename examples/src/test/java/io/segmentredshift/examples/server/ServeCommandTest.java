package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.auth.Signer;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.examples.ExampleProcess;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  @TempDir Path dir;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final HttpClient http = HttpClient.newHttpClient();

  static String track(String messageId) {
    return "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\",\"messageId\":\""
        + messageId
        + "\",\"properties\":{\"plan\":\"pro\"}}";
  }

  private HttpResponse<String> post(int port, String path, String body, String header, String value)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (header != null) {
      request.header(header, value);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesSignedWebhooksAndWriteKeysAndLoadsThroughTheSpool() throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--port", "0",
                "--bind-address", "127.0.0.1",
                "--jdbc-url", PG.jdbcUrl(),
                "--user", PG.user(),
                "--schema", "serve_test",
                "--secret", "hook-secret",
                "--write-key", "wk_1",
                "--spool-dir", dir.resolve("spool").toString(),
                "--flush-interval", "200ms"));
    ServerConfig config = ServerConfig.parse(args, Map.of());
    try (ServeCommand server = ServeCommand.start(config, out)) {
      int port = server.port();
      String body = track("signed-1");
      assertEquals(
          200,
          post(
                  port,
                  "/webhook",
                  body,
                  "X-Signature",
                  Signer.of("hook-secret").sign(body.getBytes(StandardCharsets.UTF_8)))
              .statusCode());
      assertEquals(401, post(port, "/webhook", track("unsigned-1"), null, null).statusCode());
      assertEquals(
          200,
          post(
                  port,
                  "/v1/track",
                  track("keyed-1"),
                  "Authorization",
                  WriteKeys.basicAuthorization("wk_1"))
              .statusCode());
      assertEquals(
          2,
          ExampleProcess.awaitCount(PG.dataSource(), "SELECT count(*) FROM serve_test.tracks", 2));
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("listening on http://127.0.0.1:"), printed);
    assertTrue(printed.contains("1 webhook secret ******"), printed);
    assertTrue(!printed.contains("hook-secret") && !printed.contains("wk_1"), printed);
    assertTrue(printed.endsWith("stopped\n"), printed);
  }

  @Test
  void withoutAJdbcUrlLoadsIntoTheEmbeddedPostgresAndKeepsItAcrossARestart() throws Exception {
    List<String> args =
        List.of(
            "--port",
            "0",
            "--bind-address",
            "127.0.0.1",
            "--allow-unauthenticated",
            "--data-dir",
            dir.toString(),
            "--flush-interval",
            "200ms");
    int pgPort;
    try (ServeCommand server = ServeCommand.start(ServerConfig.parse(args, Map.of()), out)) {
      assertEquals(200, post(server.port(), "/", track("embedded-1"), null, null).statusCode());
      EmbeddedWarehouse embedded = server.embedded();
      pgPort = embedded.port();
      assertEquals(
          1,
          ExampleProcess.awaitCount(
              embedded.dataSource(), "SELECT count(*) FROM segment.tracks", 1));
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(
        printed.contains("psql -h 127.0.0.1 -p " + pgPort + " -U postgres segment"), printed);
    try (ServeCommand again = ServeCommand.start(ServerConfig.parse(args, Map.of()), out)) {
      assertEquals(pgPort, again.embedded().port());
      assertEquals(
          1,
          ExampleProcess.awaitCount(
              again.embedded().dataSource(), "SELECT count(*) FROM segment.tracks", 1));
    }
  }
}
