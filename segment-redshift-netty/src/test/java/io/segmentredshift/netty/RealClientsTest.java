package io.segmentredshift.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentredshift.webhook.Loopback;
import io.segmentredshift.webhook.RealClientContract;
import io.segmentredshift.webhook.WebhookHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Segment's official clients into Netty and on into PostgreSQL: analytics-java (the contract's
 * test) and @segment/analytics-node 3.1.0 (npm, installed by the build's npm ci step; it posts to
 * {@code /v1/batch}), each sending 1,000 events of every call type with a write key; every one must
 * be in its table exactly once.
 */
class RealClientsTest extends RealClientContract {
  @Override
  protected Server start(WebhookHandler handler) {
    return NettyWebhookTest.netty(handler);
  }

  @Test
  void analyticsNodeLoadsEveryEventOfEveryTypeExactlyOnce() throws Exception {
    Path client = Path.of(System.getProperty("node.client.dir", "target/node-client"));
    String version = nodeVersion();
    assertTrue(
        Files.isDirectory(client.resolve("node_modules/@segment/analytics-node")),
        "@segment/analytics-node is not installed in "
            + client
            + ": the build's npm ci step did not run");
    Path out = otherDir.resolve("node-client.log");
    Process node =
        new ProcessBuilder(
                "node",
                "send-events.mjs",
                server.base().toString(),
                WRITE_KEY,
                Integer.toString(PER_TYPE))
            .directory(client.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    long started = System.nanoTime();
    if (!node.waitFor(180, TimeUnit.SECONDS)) {
      node.destroyForcibly();
      fail("the Node client did not finish within 180 s:\n" + Files.readString(out));
    }
    long sent = System.nanoTime();
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, node.exitValue(), output);
    JsonNode summary = Loopback.json(output.lines().reduce((a, b) -> b).orElse("{}").getBytes());
    assertEquals(6 * PER_TYPE, summary.get("sent").asInt(), output);
    assertEquals(0, summary.get("errors").asInt(), output);
    warehouse();
    long loaded = System.nanoTime();
    Map<String, Long> counts = assertEveryCallLoadedOnce("node");
    System.out.printf(
        Locale.ROOT,
        "%s analytics-node 3.1.0 (node %s): %d events acknowledged in %d ms (answers %s),"
            + " all loaded %d ms later; rows %s%n",
        getClass().getSimpleName(),
        version,
        6 * PER_TYPE,
        TimeUnit.NANOSECONDS.toMillis(sent - started),
        summary.get("responses"),
        TimeUnit.NANOSECONDS.toMillis(loaded - sent),
        counts);
  }

  /** node --version; fails the test with a clear message when Node.js is not installed. */
  private static String nodeVersion() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("`node --version` did not answer within 30 s");
      }
      String version =
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertEquals(0, p.exitValue(), version);
      return version;
    } catch (IOException e) {
      return fail("Node.js 20 or newer must be on PATH for this test (`node` not found): " + e);
    }
  }
}
