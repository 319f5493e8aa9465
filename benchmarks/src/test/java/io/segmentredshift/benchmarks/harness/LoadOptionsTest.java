package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {
  private static final URI URL = URI.create("http://127.0.0.1:8080/v1/batch?x=1");

  @Test
  void argumentsReadBackIntoTheSameOptions() {
    LoadOptions options =
        LoadOptions.of(URL, Path.of("/tmp/bodies.ndjson"))
            .withMethod("PUT")
            .withHeaders(List.of("Content-Type: application/json", "Authorization: Basic eDo="))
            .withConnections(64, 2)
            .withTimes(Duration.ofMillis(1500), Duration.ofSeconds(30))
            .withMaxRequests(1_000_000)
            .withTimeout(Duration.ofSeconds(3))
            .withSignature("X-Signature", Path.of("/tmp/secret"));
    assertEquals(options, LoadOptions.parse(options.toArguments().toArray(String[]::new)));

    LoadOptions single = LoadOptions.of(URL, Path.of("body.json")).withSingleBody();
    assertEquals(single, LoadOptions.parse(single.toArguments().toArray(String[]::new)));
  }

  @Test
  void theCommandLineHasNoDefaultHeaders() {
    LoadOptions options = LoadOptions.parse("--url", URL.toString(), "--bodies", "b.ndjson");
    assertEquals(List.of(), options.headers());
    assertEquals(16, options.connections());
    assertEquals(Duration.ofSeconds(5), options.warmup());
    assertEquals(Duration.ofSeconds(10), options.duration());
  }

  @Test
  void readsDurationsInSecondsMillisecondsAndMinutes() {
    assertEquals(Duration.ofSeconds(5), LoadOptions.duration("5s"));
    assertEquals(Duration.ofMillis(1500), LoadOptions.duration("1.5s"));
    assertEquals(Duration.ofMillis(250), LoadOptions.duration("250ms"));
    assertEquals(Duration.ofMinutes(2), LoadOptions.duration("2m"));
    assertEquals(Duration.ofSeconds(3), LoadOptions.duration("3"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.duration("soon"));
    assertEquals("not a duration such as 5s, 500ms or 2m: soon", e.getMessage());
  }

  @Test
  void rejectsBadOptionsWithTheHouseMessageShape() {
    assertEquals(
        "connections <= 0: 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> LoadOptions.of(URL, Path.of("b")).withConnections(0, 1))
            .getMessage());
    assertEquals(
        "threads > connections: 3",
        assertThrows(
                IllegalArgumentException.class,
                () -> LoadOptions.of(URL, Path.of("b")).withConnections(2, 3))
            .getMessage());
    assertEquals(
        "unknown option: --conections",
        assertThrows(
                IllegalArgumentException.class,
                () -> LoadOptions.parse("--conections", "5", "--url", URL.toString()))
            .getMessage());
    assertEquals(
        "--bodies or --body is required",
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse("--url", "http://h/"))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> LoadOptions.of(URI.create("https://example.com/"), Path.of("b")));
    assertThrows(
        IllegalArgumentException.class,
        () -> LoadOptions.of(URL, Path.of("b")).withHeaders(List.of("no colon")));
  }
}
