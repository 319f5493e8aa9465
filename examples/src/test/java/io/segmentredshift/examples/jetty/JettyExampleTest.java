package io.segmentredshift.examples.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.auth.Signer;
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

class JettyExampleTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
  static final String SECRET = "example-secret";

  @TempDir Path dir;

  static HttpResponse<String> post(URI uri, String body, String signature) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header("X-Signature", signature);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String signedUp(String messageId) {
    return "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\",\"messageId\":\""
        + messageId
        + "\",\"properties\":{\"plan\":\"pro\"}}";
  }

  static String sign(String body) {
    return Signer.of(SECRET).sign(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theServletMountedInJettyStoresSignedWebhooksAndRefusesUnsignedOnes() throws Exception {
    Map<String, String> env =
        ExampleProcess.webhookEnv(
            PG.jdbcUrl() + "?user=" + PG.user(), SECRET, dir.resolve("spool"));
    try (ExampleProcess jetty =
        ExampleProcess.start(
            JettyExample.class, env, List.of("tomcat-embed-core", "tomcat-annotations-api"))) {
      URI webhook = URI.create("http://127.0.0.1:" + jetty.await(LISTENING) + "/segment/webhook");

      String body = signedUp("jetty-1");
      HttpResponse<String> signed = post(webhook, body, sign(body));
      assertEquals(200, signed.statusCode(), signed.body());
      assertEquals("{\"accepted\":1,\"rejected\":[]}", signed.body());
      HttpResponse<String> unsigned = post(webhook, signedUp("jetty-2"), null);
      assertEquals(401, unsigned.statusCode(), unsigned.body());
      assertTrue(unsigned.body().contains("MISSING_SIGNATURE"), unsigned.body());

      assertEquals(
          1,
          ExampleProcess.awaitCount(
              PG.dataSource(),
              "SELECT count(*) FROM segment.signed_up WHERE id = 'jetty-1' AND plan = 'pro'",
              1),
          jetty.output());
      assertEquals(143, jetty.stop(), jetty.output());
      assertTrue(jetty.output().contains("stopped\n"), jetty.output());
    }
    assertEquals(
        1, ExampleProcess.awaitCount(PG.dataSource(), "SELECT count(*) FROM segment.tracks", 1));
  }
}
