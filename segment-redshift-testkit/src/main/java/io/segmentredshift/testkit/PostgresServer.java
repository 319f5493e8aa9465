package io.segmentredshift.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL 17 server (zonky embedded binaries) running in a child process of this JVM.
 *
 * <p>Tests normally reach it through {@link EmbeddedPostgresExtension}; benchmarks and examples may
 * start one directly. The server trusts loopback connections as user {@code postgres}.
 */
public final class PostgresServer implements AutoCloseable {
  /** The superuser every database belongs to. */
  public static final String USER = "postgres";

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path dataDirectory;
  private final boolean durable;
  private EmbeddedPostgres postgres;
  private int port;

  private PostgresServer(Path dataDirectory, boolean durable) {
    this.dataDirectory = dataDirectory;
    this.durable = durable;
  }

  /**
   * Starts a server. With a data directory the data is kept there across restarts; without one a
   * temporary directory is used and removed on close.
   *
   * @param dataDirectory where the cluster lives, or null for a throw-away one
   * @param durable false turns off fsync and synchronous commit, which is faster and enough for
   *     tests that never crash the database server itself
   */
  public static PostgresServer start(Path dataDirectory, boolean durable) {
    PostgresServer server = new PostgresServer(dataDirectory, durable);
    server.startProcess(0);
    return server;
  }

  private void startProcess(int fixedPort) {
    if (fixedPort != 0) {
      Diagnosis.requireFreePort("Embedded PostgreSQL", fixedPort);
    }
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setRegisterShutdownHook(true)
              .setServerConfig("max_connections", "200")
              .setServerConfig("listen_addresses", "127.0.0.1");
      // Spelled out both ways: zonky's own defaults turn fsync and synchronous_commit off, and as
      // command-line settings they cannot be turned back on later (ALTER SYSTEM loses to them).
      String flush = durable ? "on" : "off";
      builder
          .setServerConfig("fsync", flush)
          .setServerConfig("synchronous_commit", flush)
          .setServerConfig("full_page_writes", flush);
      if (fixedPort != 0) {
        builder.setPort(fixedPort);
      }
      if (dataDirectory != null) {
        builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
      }
      postgres = builder.start();
      port = postgres.getPort();
    } catch (IOException | RuntimeException e) {
      throw Diagnosis.explain("Embedded PostgreSQL", e);
    }
  }

  /** The TCP port on 127.0.0.1. It stays the same across {@link #stop()} and {@link #restart()}. */
  public int port() {
    return port;
  }

  /** A JDBC URL (pgjdbc) for the named database. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A DataSource (pgjdbc) for the named database, as user {@link #USER}. */
  public DataSource dataSource(String database) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {"127.0.0.1"});
    dataSource.setPortNumbers(new int[] {port});
    dataSource.setDatabaseName(database);
    dataSource.setUser(USER);
    return dataSource;
  }

  /** Creates a new, empty database whose name starts with the given hint, and returns its name. */
  public String createDatabase(String hint) {
    String cleaned =
        Objects.requireNonNull(hint, "hint == null").toLowerCase().replaceAll("[^a-z0-9]+", "_");
    String name = "t" + DATABASES.incrementAndGet() + "_" + cleaned;
    if (name.length() > 60) {
      name = name.substring(0, 60);
    }
    execute("CREATE DATABASE \"" + name + "\"");
    return name;
  }

  /** Drops a database made by {@link #createDatabase}, closing its connections first. */
  public void dropDatabase(String name) {
    execute("DROP DATABASE IF EXISTS \"" + name.replace("\"", "\"\"") + "\" WITH (FORCE)");
  }

  private void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new FixtureException("Embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  /**
   * Stops the server process (fast shutdown), as an outage would; {@link #restart()} brings it
   * back.
   */
  public synchronized void stop() {
    if (dataDirectory == null) {
      throw new IllegalStateException("stop() needs a server started with a data directory");
    }
    closeProcess();
  }

  /** Starts the server again on the same port and data directory after {@link #stop()}. */
  public synchronized void restart() {
    if (postgres != null) {
      throw new IllegalStateException("the server is running");
    }
    startProcess(port);
  }

  /** Whether the server process is running. */
  public synchronized boolean isRunning() {
    return postgres != null;
  }

  private void closeProcess() {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        throw new FixtureException(
            "Embedded PostgreSQL did not stop cleanly: " + e.getMessage(), e);
      } finally {
        postgres = null;
      }
    }
  }

  @Override
  public synchronized void close() {
    closeProcess();
  }
}
