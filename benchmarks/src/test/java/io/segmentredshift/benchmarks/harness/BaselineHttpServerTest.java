package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineHttpServerTest {
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;

  @Test
  void theDoNothingServerAnswersOkToAnyPost() throws Exception {
    try (BaselineHttpServer server =
        BaselineHttpServer.start(BaselineHttpServer.Mode.NOOP, 0, null)) {
      HttpResponse<String> response = post(server, "/v1/batch", "{\"batch\":[]}");
      assertEquals(200, response.statusCode());
      assertEquals("{\"ok\":true}", response.body());
      assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
      assertEquals(1, server.requests());
    }
  }

  @Test
  void theFsyncServerAppendsEachBodyAsALineBeforeAnswering() throws Exception {
    Path spool = dir.resolve("spool.ndjson");
    try (BaselineHttpServer server =
        BaselineHttpServer.start(BaselineHttpServer.Mode.FSYNC_EACH, 0, spool)) {
      assertEquals(200, post(server, "/", "{\"n\":1}").statusCode());
      assertEquals(200, post(server, "/", "{\"n\":2}").statusCode());
      assertEquals("{\"n\":1}\n{\"n\":2}\n", Files.readString(spool, StandardCharsets.UTF_8));
      assertEquals(2, server.requests());
    }
  }

  private HttpResponse<String> post(BaselineHttpServer server, String path, String body)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(server.uri().resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
