package io.segmentredshift.benchmarks;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.benchmarks.harness.BaselineHttpServer;
import io.segmentredshift.benchmarks.harness.ChildJvm;
import io.segmentredshift.benchmarks.harness.Json;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.netty.SegmentNettyServer;
import io.segmentredshift.servlet.SegmentWebhookServlet;
import io.segmentredshift.spool.SpoolConfig;
import io.segmentredshift.webhook.WebhookStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The server under test of the ingest and end-to-end benchmarks (issue 9, points 3 and 4), in a JVM
 * of its own, started by {@link IngestPart} and {@link EndToEndPart}.
 *
 * <ul>
 *   <li>{@code --kind noop}: the do-nothing Netty server ({@link BaselineHttpServer}), the ceiling.
 *   <li>{@code --kind netty}: a {@link SegmentRedshift} on the embedded PostgreSQL with a durable
 *       spool (fsync on), its webhook handler behind {@link SegmentNettyServer}.
 *   <li>{@code --kind servlet}: the same behind {@link SegmentWebhookServlet} in embedded Jetty 12
 *       (ee10), mounted at {@code /segment/*}.
 * </ul>
 *
 * <p>{@code --flusher on} keeps the library's flush defaults for PostgreSQL (batches of 10,000
 * events or 2 s), so the flusher loads into PostgreSQL while events arrive: the real system. {@code
 * --flusher held} sets the batch size and flush interval so high that the flusher never starts a
 * load: requests are parsed, validated and spooled with fsync exactly as before, only the load into
 * the warehouse (which competes for the same cores) waits.
 *
 * <p>It answers {@code listening <port> <path prefix>} once it serves, then reads commands on its
 * standard input: {@code stats} answers {@code stats <json>} (memory, the handler's counters, the
 * events loaded, the spool backlog); {@code quit} writes any JFR recording to its file and ends the
 * process at once (the spool is the parent's to delete, so nothing needs draining).
 */
public final class IngestServer {
  /** The route prefix of the servlet in Jetty. */
  static final String SERVLET_PREFIX = "/segment";

  private IngestServer() {}

  /** Starts the server and serves until told to quit. */
  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    String kind = args.text("kind");
    AtomicLong loaded = new AtomicLong();
    AtomicLong loads = new AtomicLong();
    SegmentRedshift segment = null;
    int port;
    String prefix = "";
    switch (kind) {
      case "noop" -> port = BaselineHttpServer.start(BaselineHttpServer.Mode.NOOP, 0, null).port();
      case "netty", "servlet" -> {
        segment = segment(args, loaded, loads);
        if (kind.equals("netty")) {
          port =
              SegmentNettyServer.builder(segment.webhookHandler())
                  .bindAddress("127.0.0.1")
                  .port(0)
                  .start()
                  .port();
        } else {
          port = jetty(segment);
          prefix = SERVLET_PREFIX;
        }
      }
      default -> throw new IllegalArgumentException("--kind: " + kind);
    }
    AtomicLong afterGc = Children.startMemoryWatch();
    ChildJvm.reply("listening", port + " " + (prefix.isEmpty() ? "/" : prefix));

    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = commands.readLine()) != null) {
      switch (line.trim()) {
        case "stats" -> {
          Map<String, Object> stats = new LinkedHashMap<>(Children.memoryFigures(afterGc));
          if (segment != null) {
            WebhookStats w = segment.webhookHandler().stats();
            stats.put("requests", w.requests());
            stats.put("acceptedEvents", w.acceptedEvents());
            stats.put("rejectedEvents", w.rejectedEvents());
            stats.put("clientErrors", w.clientErrors());
            stats.put("unavailable", w.unavailable());
            stats.put("loadedEvents", loaded.get());
            stats.put("loads", loads.get());
            stats.put("backlogRecords", segment.health().backlogRecords());
          }
          ChildJvm.reply("stats", Json.write(stats));
        }
        case "quit" -> quit();
        default -> ChildJvm.reply("error", "unknown command: " + line);
      }
    }
    quit();
  }

  private static SegmentRedshift segment(Args args, AtomicLong loaded, AtomicLong loads)
      throws IOException {
    String secret = Files.readString(Path.of(args.text("secret-file")), StandardCharsets.UTF_8);
    SegmentRedshift.Builder builder =
        SegmentRedshift.builder(Children.postgres(args.integer("pg-port"), args.text("database")))
            .dialect(Dialect.postgres())
            .name("bench")
            .schema(args.text("schema"))
            .secrets(secret)
            .writeKey(args.text("write-key"))
            // The spool may grow far beyond the default 1 GiB while nothing loads (a held flusher,
            // or ingest outrunning the loads): the benchmark measures receiving, not a full spool.
            .spool(
                Path.of(args.text("spool")),
                SpoolConfig.defaults().withMaxTotalBytes(args.number("spool-max-bytes")))
            .loadListener(
                r -> {
                  loaded.addAndGet(r.eventCount());
                  loads.incrementAndGet();
                });
    switch (args.text("flusher")) {
      case "held" ->
          builder
              .batchSize(Integer.MAX_VALUE)
              .batchBytes(Long.MAX_VALUE)
              .flushInterval(Duration.ofDays(3650));
      case "on" -> {
        // The library's defaults for PostgreSQL.
      }
      default -> throw new IllegalArgumentException("--flusher: " + args.text("flusher"));
    }
    return builder.build();
  }

  private static int jetty(SegmentRedshift segment) throws Exception {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder(new SegmentWebhookServlet(segment.webhookHandler()));
    holder.setAsyncSupported(true);
    context.addServlet(holder, SERVLET_PREFIX + "/*");
    jetty.setHandler(context);
    jetty.start();
    return connector.getLocalPort();
  }

  /**
   * Writes every JFR recording that has a file (started with {@code -XX:StartFlightRecording}) and
   * halts: no shutdown hook runs, so nothing drains or closes, which is what a benchmark that
   * throws its spool away wants.
   */
  private static void quit() {
    if (FlightRecorder.isInitialized()) {
      for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
        if (r.getDestination() != null) {
          r.stop();
        }
      }
    }
    ChildJvm.reply("bye", "");
    Runtime.getRuntime().halt(0);
  }
}
