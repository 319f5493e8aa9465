package io.segmentredshift.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy that lets the real Amazon Redshift JDBC driver talk to a plain PostgreSQL
 * server.
 *
 * <p>The driver always sends startup parameters that PostgreSQL rejects ({@code driver_version},
 * {@code os_version}, {@code client_protocol_version}, {@code plugin_name}, ...) and asks for SSL
 * first. The proxy answers SSL and GSS encryption requests with "no", rewrites the StartupMessage
 * so that it keeps only the parameters PostgreSQL knows, and then passes all bytes through
 * unchanged in both directions.
 *
 * <pre>{@code
 * try (RedshiftDriverProxy proxy = RedshiftDriverProxy.start(PG.server().port());
 *     Connection c = DriverManager.getConnection(
 *         proxy.jdbcUrl(PG.database()), proxy.properties(PG.user(), PG.password()))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>The driver's {@code DatabaseMetaData} queries are Redshift SQL and still fail on PostgreSQL;
 * query {@code information_schema} or {@code pg_catalog} instead.
 */
public final class RedshiftDriverProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedshiftDriverProxy.class);

  private static final int SSL_REQUEST = 80877103;
  private static final int GSSENC_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;
  private static final int PROTOCOL_3 = 3;
  // PostgreSQL's own limit for a startup packet.
  private static final int MAX_STARTUP_LENGTH = 10_000;

  /**
   * Startup keys PostgreSQL accepts: the protocol's own keys and the settings clients set at
   * connection start. Everything else (the driver's telemetry, {@code _pq_.} extensions) is
   * removed. Compared lowercase, as PostgreSQL compares setting names.
   */
  private static final Set<String> KNOWN_PARAMETERS =
      Set.of(
          "user",
          "database",
          "options",
          "replication",
          "application_name",
          "client_encoding",
          "datestyle",
          "timezone",
          "intervalstyle",
          "extra_float_digits",
          "search_path",
          "role",
          "statement_timeout",
          "lock_timeout",
          "idle_in_transaction_session_timeout",
          "idle_session_timeout",
          "default_transaction_isolation",
          "default_transaction_read_only",
          "standard_conforming_strings",
          "bytea_output",
          "lc_messages",
          "lc_monetary",
          "lc_numeric",
          "lc_time",
          "geqo",
          "jit",
          "work_mem");

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final int targetPort;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private RedshiftDriverProxy(int targetPort, ServerSocket server) {
    this.targetPort = targetPort;
    this.server = server;
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "redshift-driver-proxy-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts a proxy on a free loopback port in front of a PostgreSQL server on 127.0.0.1.
   *
   * @param targetPort the PostgreSQL server's port, e.g. {@code PG.server().port()}
   */
  public static RedshiftDriverProxy start(int targetPort) {
    if (targetPort <= 0 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort out of range: " + targetPort);
    }
    ServerSocket server;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw Diagnosis.explain("Redshift driver proxy", e);
    }
    RedshiftDriverProxy proxy = new RedshiftDriverProxy(targetPort, server);
    proxy.threads.execute(proxy::acceptLoop);
    return proxy;
  }

  /** The loopback port the proxy listens on. */
  public int port() {
    return server.getLocalPort();
  }

  /** A Redshift driver URL for the named database, through this proxy. */
  public String jdbcUrl(String database) {
    Objects.requireNonNull(database, "database == null");
    return "jdbc:redshift://127.0.0.1:" + port() + "/" + database;
  }

  /**
   * Connection properties for the Redshift driver: the user, the password and {@code ssl=false}
   * (the driver asks for SSL by default, and the embedded server has none).
   */
  public Properties properties(String user, String password) {
    Properties properties = new Properties();
    properties.setProperty("user", Objects.requireNonNull(user, "user == null"));
    properties.setProperty("password", Objects.requireNonNull(password, "password == null"));
    properties.setProperty("ssl", "false");
    return properties;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("Redshift driver proxy stopped accepting: {}", e.getMessage());
        }
        return;
      }
      sockets.add(client);
      threads.execute(() -> serve(client));
    }
  }

  private void serve(Socket client) {
    Socket target = null;
    try {
      client.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      byte[] startup = readStartup(in, out);
      if (startup == null) {
        closeQuietly(client);
        return;
      }
      target = new Socket();
      sockets.add(target);
      target.setTcpNoDelay(true);
      target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
      target.getOutputStream().write(startup);
      target.getOutputStream().flush();
      Socket server = target;
      AtomicInteger finished = new AtomicInteger();
      threads.execute(() -> pump(server, client, finished));
      pump(client, target, finished);
    } catch (IOException e) {
      LOG.debug("Redshift driver proxy connection ended: {}", e.getMessage());
      closeQuietly(client);
      closeQuietly(target);
    }
  }

  /**
   * Reads packets until the StartupMessage (answering SSL and GSS encryption requests with 'N') and
   * returns the bytes to send to PostgreSQL, or null when the client went away.
   */
  private static byte[] readStartup(DataInputStream in, OutputStream out) throws IOException {
    while (true) {
      int length;
      try {
        length = in.readInt();
      } catch (EOFException e) {
        return null;
      }
      if (length < 8 || length > MAX_STARTUP_LENGTH) {
        throw new IOException("invalid startup packet length " + length);
      }
      int code = in.readInt();
      byte[] body = new byte[length - 8];
      in.readFully(body);
      if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
        out.write('N');
        out.flush();
        continue;
      }
      if (code == CANCEL_REQUEST || (code >>> 16) != PROTOCOL_3) {
        return packet(code, body);
      }
      return packet(code, filterParameters(body));
    }
  }

  /** Keeps only the parameters PostgreSQL knows, in their original order. */
  static byte[] filterParameters(byte[] body) throws IOException {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < body.length; i++) {
      if (body[i] == 0) {
        parts.add(new String(body, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start != body.length) {
      throw new IOException("startup parameters are not NUL-terminated");
    }
    // Pairs of key and value, ended by an empty key.
    if (parts.isEmpty() || !parts.get(parts.size() - 1).isEmpty() || parts.size() % 2 == 0) {
      throw new IOException("malformed startup parameters");
    }
    ByteArrayOutputStream kept = new ByteArrayOutputStream(body.length);
    List<String> removed = new ArrayList<>();
    for (int i = 0; i + 1 < parts.size(); i += 2) {
      String key = parts.get(i);
      if (KNOWN_PARAMETERS.contains(key.toLowerCase(Locale.ROOT))) {
        kept.write((key + '\0' + parts.get(i + 1) + '\0').getBytes(StandardCharsets.UTF_8));
      } else {
        removed.add(key);
      }
    }
    kept.write(0);
    if (!removed.isEmpty()) {
      LOG.debug("Removed startup parameters PostgreSQL does not know: {}", removed);
    }
    return kept.toByteArray();
  }

  private static byte[] packet(int code, byte[] body) {
    return ByteBuffer.allocate(8 + body.length)
        .putInt(8 + body.length)
        .putInt(code)
        .put(body)
        .array();
  }

  /**
   * Copies one direction until end of stream, then half-closes the other side; the second direction
   * to finish closes both sockets. Any error closes both.
   */
  private void pump(Socket from, Socket to, AtomicInteger finished) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
      if (finished.incrementAndGet() == 2) {
        closeQuietly(from);
        closeQuietly(to);
      }
    } catch (IOException e) {
      LOG.debug("Redshift driver proxy connection ended: {}", e.getMessage());
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket socket) {
    if (socket == null) {
      return;
    }
    sockets.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      LOG.debug("Closing a proxied socket failed: {}", e.getMessage());
    }
  }

  /** Stops accepting, closes every proxied connection and ends the proxy's threads. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("Closing the proxy's server socket failed: {}", e.getMessage());
    }
    for (Socket socket : List.copyOf(sockets)) {
      closeQuietly(socket);
    }
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("Redshift driver proxy threads did not end within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
