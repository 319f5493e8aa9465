package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.examples.ExampleProcess;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The server as a process: SIGTERM stops it cleanly, loading what was acknowledged first. */
class ServeProcessTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  private static final Pattern LISTENING =
      Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

  @TempDir Path dir;

  @Test
  void sigtermStopsHttpDrainsTheSpoolIntoTheWarehouseAndExits() throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classpath.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator));
    command.add(Main.class.getName());
    command.addAll(
        List.of(
            "--port",
            "0",
            "--bind-address",
            "127.0.0.1",
            "--allow-unauthenticated",
            "--jdbc-url",
            PG.jdbcUrl(),
            "--user",
            PG.user(),
            "--schema",
            "serve_process",
            "--spool-dir",
            dir.resolve("spool").toString(),
            // Nothing is flushed on its own: only the drain at shutdown loads the event.
            "--flush-interval",
            "1h"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith(Option.ENV_PREFIX));
    Process p = builder.start();
    p.getOutputStream().close();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder printed = new StringBuilder();
    int port = -1;
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      printed.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        break;
      }
    }
    assertTrue(port > 0, printed.toString());
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ServeCommandTest.track("drained-1")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    // SIGTERM, as a service manager sends it; Process.destroy() would also close our end of stdout.
    assertTrue(p.toHandle().destroy());
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      printed.append(line).append('\n');
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), printed.toString());
    assertEquals(143, p.exitValue(), printed.toString());
    assertTrue(printed.toString().contains("stopped\n"), printed.toString());
    assertEquals(
        1,
        ExampleProcess.awaitCount(PG.dataSource(), "SELECT count(*) FROM serve_process.tracks", 1));
  }
}
