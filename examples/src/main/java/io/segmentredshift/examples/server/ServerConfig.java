package io.segmentredshift.examples.server;

import static io.segmentredshift.examples.server.Options.ALLOW_UNAUTHENTICATED;
import static io.segmentredshift.examples.server.Options.BIND_ADDRESS;
import static io.segmentredshift.examples.server.Options.FLUSH_INTERVAL;
import static io.segmentredshift.examples.server.Options.PORT;
import static io.segmentredshift.examples.server.Options.SECRET;
import static io.segmentredshift.examples.server.Options.SPOOL_DIR;
import static io.segmentredshift.examples.server.Options.WRITE_KEY;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The configuration of {@code serve}.
 *
 * @param warehouse where the events go
 * @param port the HTTP port (0: a free one)
 * @param bindAddress the address to listen on
 * @param secrets the Webhooks shared secrets; never shown
 * @param writeKeys the accepted write keys, each with its schema; keys never shown
 * @param allowUnauthenticated whether requests without credentials are accepted
 * @param spoolDir where accepted events wait for their load
 * @param flushInterval the longest an accepted event waits, or null for the library's default
 */
record ServerConfig(
    WarehouseConfig warehouse,
    int port,
    String bindAddress,
    List<String> secrets,
    Map<String, String> writeKeys,
    boolean allowUnauthenticated,
    Path spoolDir,
    Duration flushInterval) {

  static final int DEFAULT_PORT = 8080;
  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  /** Reads and checks the options of {@code serve}. */
  static ServerConfig parse(List<String> args, Map<String, String> env) {
    Arguments a = Arguments.parse(Options.serve(), args, env, Options.allEnv());
    if (!a.positional().isEmpty()) {
      throw CommandLineException.usage(
          "unexpected argument " + Arguments.shown(a.positional().get(0)) + " (see --help)");
    }
    return from(a);
  }

  static ServerConfig from(Arguments a) {
    int port = a.integer(PORT, 0, 65535, DEFAULT_PORT);
    String bind = a.string(BIND_ADDRESS, "0.0.0.0");
    WarehouseConfig warehouse = WarehouseConfig.from(a);
    List<String> secrets = a.list(SECRET);
    Map<String, String> writeKeys = new LinkedHashMap<>();
    for (String entry : a.list(WRITE_KEY)) {
      int eq = entry.lastIndexOf('=');
      String key = eq < 0 ? entry : entry.substring(0, eq);
      String schema = eq < 0 ? warehouse.schema() : entry.substring(eq + 1);
      if (key.isEmpty()) {
        throw CommandLineException.usage(a.origin(WRITE_KEY) + ": a write key is empty");
      }
      // The schema is not secret, but a key with '=' in it would be shown here: keep it out.
      if (!SCHEMA_NAME.matcher(schema).matches()
          || schema.getBytes(StandardCharsets.UTF_8).length
              > warehouse.dialect().maxIdentifierBytes()) {
        throw CommandLineException.usage(
            a.origin(WRITE_KEY)
                + ": the schema after '=' is not a lowercase snake_case name (write KEY=SCHEMA;"
                + " a key with '=' in it needs its schema given)");
      }
      writeKeys.put(key, schema);
    }
    boolean open = a.flag(ALLOW_UNAUTHENTICATED);
    if (secrets.isEmpty() && writeKeys.isEmpty() && !open) {
      throw CommandLineException.usage(
          "refusing to accept events from anyone: give --secret (the shared secret of Segment's"
              + " Webhooks destination) or --write-key, or --allow-unauthenticated for a trial"
              + " on a private network");
    }
    Path spool =
        a.has(SPOOL_DIR)
            ? Path.of(a.string(SPOOL_DIR, null))
            : warehouse.dataDir().resolve("spool");
    Duration flush = a.duration(FLUSH_INTERVAL, null);
    return new ServerConfig(
        warehouse, port, bind, secrets, Map.copyOf(writeKeys), open, spool, flush);
  }

  /** The settings for the startup echo, secrets and keys masked. */
  List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("listen          " + bindAddress + ":" + port);
    List<String> auth = new ArrayList<>();
    if (!secrets.isEmpty()) {
      auth.add(
          secrets.size()
              + " webhook secret"
              + (secrets.size() == 1 ? "" : "s")
              + " "
              + Masking.MASK);
    }
    if (!writeKeys.isEmpty()) {
      auth.add(
          writeKeys.size()
              + " write key"
              + (writeKeys.size() == 1 ? "" : "s")
              + " "
              + Masking.MASK
              + " (schemas "
              + String.join(", ", new TreeSet<>(writeKeys.values()))
              + ")");
    }
    if (allowUnauthenticated) {
      auth.add("unauthenticated requests ACCEPTED");
    }
    lines.add("authentication  " + String.join("; ", auth));
    lines.add("spool           " + spoolDir.toAbsolutePath());
    if (flushInterval != null) {
      lines.add("flush interval  " + Durations.format(flushInterval));
    }
    lines.addAll(warehouse.describe());
    return lines;
  }

  /** Secrets masked. */
  @Override
  public String toString() {
    return "ServerConfig" + describe();
  }
}
