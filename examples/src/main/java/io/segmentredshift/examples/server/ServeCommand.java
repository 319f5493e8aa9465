package io.segmentredshift.examples.server;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.netty.SegmentNettyServer;
import java.io.PrintStream;

/**
 * {@code serve}: the warehouse, the {@link SegmentRedshift} with its spool and flusher, and a Netty
 * server for its webhook handler; started in that order, stopped in the reverse one.
 */
final class ServeCommand implements AutoCloseable {
  private final Warehouse warehouse;
  private final SegmentNettyServer server;
  private final PrintStream out;
  private boolean stopped;

  private ServeCommand(Warehouse warehouse, SegmentNettyServer server, PrintStream out) {
    this.warehouse = warehouse;
    this.server = server;
    this.out = out;
  }

  /**
   * Starts the server and prints where it listens and how to look at the tables.
   *
   * @throws CommandLineException when something cannot be started; what was started is stopped
   */
  static ServeCommand start(ServerConfig config, PrintStream out) {
    out.println("segment-redshift server");
    for (String line : config.describe()) {
      out.println("  " + line);
    }
    Warehouse warehouse =
        Warehouse.open(
            config.warehouse(),
            "server",
            out,
            b -> {
              b.spool(config.spoolDir());
              if (config.flushInterval() != null) {
                b.flushInterval(config.flushInterval());
              }
              if (config.warehouse().batchSize() > 0) {
                b.batchSize(config.warehouse().batchSize());
              }
              if (!config.secrets().isEmpty()) {
                b.secrets(config.secrets().toArray(String[]::new));
              }
              if (!config.writeKeys().isEmpty()) {
                b.writeKeys(config.writeKeys());
              }
              if (config.allowUnauthenticated()) {
                b.allowUnauthenticated();
              }
            });
    try {
      SegmentNettyServer server;
      try {
        server =
            SegmentNettyServer.builder(warehouse.segment().webhookHandler())
                .port(config.port())
                .bindAddress(config.bindAddress())
                .start();
      } catch (RuntimeException e) {
        throw CommandLineException.failure(
            "cannot listen on "
                + config.bindAddress()
                + ":"
                + config.port()
                + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
            e);
      }
      out.println("listening on http://" + config.bindAddress() + ":" + server.port() + "/");
      if (config.allowUnauthenticated()) {
        out.println(
            "  (accepting unauthenticated requests: anyone who reaches this port can write)");
      }
      out.println("stop with Ctrl-C");
      out.flush();
      return new ServeCommand(warehouse, server, out);
    } catch (RuntimeException e) {
      warehouse.close();
      throw e;
    }
  }

  /** The HTTP port. */
  int port() {
    return server.port();
  }

  /** The embedded PostgreSQL, or null with {@code --jdbc-url}. */
  EmbeddedWarehouse embedded() {
    return warehouse.embedded();
  }

  /**
   * Stops cleanly: no new connections, the requests under way are answered; then the spool is
   * loaded into the warehouse (what does not make it in time stays for the next start); then the
   * embedded PostgreSQL stops.
   */
  @Override
  public synchronized void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    out.println("stopping: answering the requests under way");
    out.flush();
    try {
      server.close();
    } finally {
      out.println("stopping: loading what the spool holds");
      out.flush();
      warehouse.close();
    }
    out.println("stopped");
    out.flush();
  }
}
