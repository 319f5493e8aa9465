package io.segmentredshift.examples.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.auth.Signer;
import io.segmentredshift.examples.ExampleProcess;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TomcatExampleTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
  private static final String SECRET = "example-secret";
  // Tomcat's jar carries the servlet API (6.1): Jetty's jakarta.servlet-api 6.0 stays out.
  private static final List<String> WITHOUT = List.of("jakarta.servlet-api");

  @TempDir Path dir;

  private Map<String, String> env() {
    return ExampleProcess.webhookEnv(
        PG.jdbcUrl() + "?user=" + PG.user(), SECRET, dir.resolve("spool"));
  }

  private static HttpResponse<String> postSigned(int port, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/segment/webhook"))
                .header("Content-Type", "application/json")
                .header(
                    "X-Signature", Signer.of(SECRET).sign(body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String page(String messageId) {
    return "{\"type\":\"page\",\"name\":\"Pricing\",\"anonymousId\":\"a1\",\"messageId\":\""
        + messageId
        + "\",\"properties\":{\"path\":\"/pricing\"}}";
  }

  /** Starts the example, posts one signed page call, stops it, and checks the row. */
  private void storesASignedWebhook(String messageId, String... args) throws Exception {
    try (ExampleProcess tomcat = ExampleProcess.start(TomcatExample.class, env(), WITHOUT, args)) {
      int port = Integer.parseInt(tomcat.await(LISTENING));
      HttpResponse<String> r = postSigned(port, page(messageId));
      assertEquals(200, r.statusCode(), r.body());
      // SIGTERM right away: stopping the application loads what the spool holds.
      assertEquals(143, tomcat.stop(), tomcat.output());
      assertTrue(tomcat.output().contains("stopped\n"), tomcat.output());
    }
    assertEquals(
        1,
        ExampleProcess.awaitCount(
            PG.dataSource(),
            "SELECT count(*) FROM segment.pages WHERE id = '"
                + messageId
                + "' AND name = 'Pricing' AND path = '/pricing'",
            1));
    try (var segments = Files.list(dir.resolve("spool"))) {
      assertFalse(
          segments.anyMatch(f -> f.getFileName().toString().endsWith(".seg")),
          "the spool was drained");
    }
  }

  @Test
  void theServletDeclaredInCodeTakesItsHandlerFromTheListener() throws Exception {
    storesASignedWebhook("tomcat-code-1");
  }

  @Test
  void theWebXmlOfTheModuleDeclaresTheSameApplication() throws Exception {
    // Surefire runs in the module's directory.
    storesASignedWebhook("tomcat-webxml-1", Path.of("src/main/webapp").toAbsolutePath().toString());
  }

  @Test
  void aMissingSettingStopsTheStartWithItsName() throws Exception {
    Map<String, String> env = new HashMap<>(env());
    env.put("SEGMENT_SECRET", "");
    try (ExampleProcess tomcat = ExampleProcess.start(TomcatExample.class, env, WITHOUT)) {
      assertEquals(1, tomcat.awaitExit(), tomcat.output());
      assertTrue(
          tomcat.output().contains("the context parameter segment.secret is not set"),
          tomcat.output());
      assertTrue(tomcat.output().contains("the web application did not start"), tomcat.output());
    }
  }
}
