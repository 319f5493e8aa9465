package io.segmentredshift.examples.jetty;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.servlet.SegmentWebhookServlet;
import io.segmentredshift.webhook.WebhookHandler;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Segment's webhooks in an application on embedded Jetty 12 (ee10): the servlet is mounted in code
 * at {@code /segment/*}, next to the application's own servlets.
 *
 * <p>Settings from the environment: {@code JDBC_URL} (default {@code
 * jdbc:postgresql://localhost:5432/postgres?user=postgres}), {@code SEGMENT_SECRET} (required: the
 * shared secret of Segment's Webhooks destination), {@code PORT} (default 8080), {@code SPOOL_DIR}
 * (default {@code segment-spool}). Segment then posts to {@code http://HOST:PORT/segment/webhook}.
 */
public final class JettyExample {
  private JettyExample() {}

  /**
   * Starts Jetty and returns; SIGTERM or Ctrl-C stops it cleanly.
   *
   * @param args none
   * @throws Exception when Jetty cannot start
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    PGSimpleDataSource warehouse = new PGSimpleDataSource();
    warehouse.setURL(
        env.getOrDefault("JDBC_URL", "jdbc:postgresql://localhost:5432/postgres?user=postgres"));
    String secret = env.get("SEGMENT_SECRET");
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("set SEGMENT_SECRET to the Webhooks destination's secret");
    }

    SegmentRedshift segment =
        SegmentRedshift.builder(warehouse)
            .schema("segment") // the tables go into the schema "segment"
            .spool(Path.of(env.getOrDefault("SPOOL_DIR", "segment-spool"))) // acked = on disk
            .secrets(secret) // X-Signature required
            .build();
    Server jetty =
        start(segment.webhookHandler(), Integer.parseInt(env.getOrDefault("PORT", "8080")));
    System.out.println("listening on port " + jetty.getURI().getPort() + ": POST /segment/webhook");

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // First the handler: it answers the requests under way (new ones get 503,
                  // which Segment retries) and loads what the spool holds. Then Jetty.
                  segment.close();
                  try {
                    jetty.stop();
                  } catch (Exception e) {
                    throw new IllegalStateException("stopping Jetty failed", e);
                  }
                  System.out.println("stopped");
                }));
  }

  /**
   * Starts Jetty on {@code port} (0 picks a free one) with the webhook servlet at {@code
   * /segment/*}.
   *
   * @param handler the handler from {@link SegmentRedshift#webhookHandler()}
   * @param port the HTTP port
   * @return the started server
   * @throws Exception when Jetty cannot start
   */
  public static Server start(WebhookHandler handler, int port) throws Exception {
    Server jetty = new Server();
    ServerConnector http = new ServerConnector(jetty);
    http.setPort(port);
    jetty.addConnector(http);

    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder segment = new ServletHolder("segment", new SegmentWebhookServlet(handler));
    segment.setAsyncSupported(true); // the servlet answers when the spool's fsync lands
    context.addServlet(segment, "/segment/*");
    // ... the application's own servlets and filters go into the same context.
    jetty.setHandler(context);
    jetty.start();
    return jetty;
  }
}
