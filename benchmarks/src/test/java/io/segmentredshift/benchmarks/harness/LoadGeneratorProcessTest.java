package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadGeneratorProcessTest {
  @TempDir Path dir;

  @Test
  void runsTheGeneratorInItsOwnProcessAndSamplesTheServerInTheSameWindow() throws Exception {
    Path bodies = Files.writeString(dir.resolve("b.ndjson"), "{\"a\":1}\n{\"a\":2}\n");
    long self = ProcessHandle.current().pid();
    try (BaselineHttpServer server =
        BaselineHttpServer.start(BaselineHttpServer.Mode.NOOP, 0, null)) {
      LoadGeneratorProcess.LoadRun run =
          LoadGeneratorProcess.run(
              LoadOptions.of(server.uri(), bodies)
                  .withConnections(2, 1)
                  .withTimes(Duration.ofMillis(300), Duration.ofSeconds(1)),
              List.of(),
              self);

      assertTrue(run.load().requests() > 100, "requests: " + run.load().requests());
      assertEquals(0, run.load().errors());
      assertTrue(server.requests() >= run.load().requests());
      assertEquals(1, run.servers().size());
      LoadGeneratorProcess.ServerUsage usage = run.servers().get(0);
      assertEquals(self, usage.pid());
      assertTrue(usage.cpuSeconds() > 0, "the server worked in the window");
      assertTrue(usage.peakRssBytes() >= usage.rssBytes() && usage.rssBytes() > 0);
    }
  }

  @Test
  void theGeneratorNeedsNothingButThisModulesClasses() {
    String classpath = LoadGeneratorProcess.ownClasspath();
    assertFalse(classpath.contains(File.pathSeparator), classpath);
    assertTrue(Files.exists(Path.of(classpath)), classpath);
  }

  @Test
  void reportsTheGeneratorsOwnFailure() {
    LoadOptions options =
        LoadOptions.of(java.net.URI.create("http://127.0.0.1:9/"), dir.resolve("missing.ndjson"))
            .withTimes(Duration.ZERO, Duration.ofMillis(100));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> LoadGeneratorProcess.run(options, List.of()));
    assertTrue(e.getMessage().startsWith("load generator failed (exit 1): "), e.getMessage());
    assertTrue(e.getMessage().contains("missing.ndjson"), e.getMessage());
  }
}
