package io.segmentredshift.examples.netty;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.netty.SegmentNettyServer;
import java.nio.file.Path;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A receiver on Netty with no servlet container: {@link SegmentNettyServer} serves Segment's
 * Webhooks destination (signed with {@code X-Signature}) and the Tracking API ({@code /v1/batch},
 * {@code /v1/track}, ... with a write key, so the {@code analytics-*} libraries can post to it).
 *
 * <p>Settings from the environment: {@code JDBC_URL} (default {@code
 * jdbc:postgresql://localhost:5432/postgres?user=postgres}), {@code SEGMENT_SECRET} and {@code
 * WRITE_KEY} (at least one of them), {@code PORT} (default 8080), {@code SPOOL_DIR} (default {@code
 * segment-spool}).
 */
public final class NettyExample {
  private NettyExample() {}

  /**
   * Starts the server and returns; SIGTERM or Ctrl-C stops it cleanly.
   *
   * @param args none
   */
  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    PGSimpleDataSource warehouse = new PGSimpleDataSource();
    warehouse.setURL(
        env.getOrDefault("JDBC_URL", "jdbc:postgresql://localhost:5432/postgres?user=postgres"));

    String secret = env.get("SEGMENT_SECRET");
    String writeKey = env.get("WRITE_KEY");
    if (secret == null && writeKey == null) {
      // The library refuses an open receiver too (webhookHandler() throws): a deliberate choice.
      throw new IllegalArgumentException("set SEGMENT_SECRET, WRITE_KEY or both");
    }

    SegmentRedshift.Builder builder =
        SegmentRedshift.builder(warehouse)
            .schema("segment")
            .spool(Path.of(env.getOrDefault("SPOOL_DIR", "segment-spool")));
    if (secret != null) {
      builder.secrets(secret); // POST / and /webhook need X-Signature
    }
    if (writeKey != null) {
      builder.writeKey(writeKey); // /v1/* need this key (Basic auth, or writeKey in the body)
    }
    SegmentRedshift segment = builder.build();
    SegmentNettyServer server =
        SegmentNettyServer.builder(segment.webhookHandler())
            .port(Integer.parseInt(env.getOrDefault("PORT", "8080")))
            .start();
    System.out.println("listening on port " + server.port() + ": POST /webhook, /v1/batch, ...");

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close(); // no new connections; the requests under way get their answer
                  segment.close(); // loads what the spool holds
                  System.out.println("stopped");
                }));
  }
}
