package io.segmentredshift.examples.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The standalone server's default warehouse: a real PostgreSQL 17 (zonky's embedded binaries) in a
 * child process, its cluster in a local directory that outlives the process, on the same port from
 * one run to the next so that the printed psql line keeps working. Durable: fsync and synchronous
 * commit on, unlike zonky's test defaults. It trusts loopback connections as user {@code postgres}
 * and listens on 127.0.0.1 only.
 */
final class EmbeddedWarehouse implements AutoCloseable {
  /** The superuser, trusted on loopback. */
  static final String USER = "postgres";

  /** The database the events go into. */
  static final String DATABASE = "segment";

  private final Path directory;
  private final int port;
  private final boolean createdCluster;
  private EmbeddedPostgres postgres;

  private EmbeddedWarehouse(
      Path directory, int port, boolean createdCluster, EmbeddedPostgres postgres) {
    this.directory = directory;
    this.port = port;
    this.createdCluster = createdCluster;
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on the cluster in {@code dataDir/postgres}, creating it the first time.
   *
   * @param dataDir the local state directory
   * @param requestedPort a port, or 0 for the last run's (kept in {@code dataDir/postgres.port})
   *     when it is free, else a free one
   * @throws CommandLineException when the cluster is in use by another process, or PostgreSQL does
   *     not start
   */
  static EmbeddedWarehouse start(Path dataDir, int requestedPort) {
    Path directory = dataDir.resolve("postgres").toAbsolutePath();
    Path portFile = dataDir.resolve("postgres.port");
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw CommandLineException.failure(
          "cannot create the data directory " + dataDir.toAbsolutePath() + ": " + e, e);
    }
    Optional<Long> running = runningPostmaster(directory);
    if (running.isPresent()) {
      throw CommandLineException.failure(
          "the embedded PostgreSQL in "
              + directory
              + " is already running (pid "
              + running.get()
              + "): stop the other segment-redshift first, or connect to it with --jdbc-url",
          null);
    }
    int port = choosePort(requestedPort, portFile);
    boolean created = !Files.exists(directory.resolve("postgresql.conf"));
    EmbeddedPostgres postgres;
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(directory)
              .setCleanDataDirectory(false)
              .setPort(port)
              // Stopped by our shutdown hook, after the HTTP side has drained.
              .setRegisterShutdownHook(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("listen_addresses", "127.0.0.1")
              // zonky turns these off for tests; a warehouse that keeps data needs them on.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .start();
    } catch (IOException | RuntimeException e) {
      throw CommandLineException.failure(
          "the embedded PostgreSQL did not start in " + directory + ": " + oneLine(e), e);
    }
    EmbeddedWarehouse warehouse = new EmbeddedWarehouse(directory, port, created, postgres);
    try {
      writePort(portFile, port);
      warehouse.createDatabase();
    } catch (RuntimeException e) {
      warehouse.close();
      throw e;
    }
    return warehouse;
  }

  /** The pid in {@code postmaster.pid} when that process is alive. */
  static Optional<Long> runningPostmaster(Path directory) {
    Path pidFile = directory.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
      long pid = Long.parseLong(lines.get(0).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (IOException | RuntimeException e) {
      // No file, or not one PostgreSQL wrote: nothing runs there.
      return Optional.empty();
    }
  }

  private static int choosePort(int requested, Path portFile) {
    if (requested != 0) {
      if (!free(requested)) {
        throw CommandLineException.failure(
            "the port " + requested + " for the embedded PostgreSQL is in use", null);
      }
      return requested;
    }
    try {
      if (Files.exists(portFile)) {
        int last = Integer.parseInt(Files.readString(portFile).strip());
        if (free(last)) {
          return last;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // An unreadable port file only costs the port's stability.
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return socket.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  private static void writePort(Path portFile, int port) {
    try {
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, port + "\n");
      Files.move(
          tmp, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw CommandLineException.failure("cannot write " + portFile + ": " + e, e);
    }
  }

  private void createDatabase() {
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(url, USER, "")) {
      boolean exists;
      try (PreparedStatement s =
          c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        s.setString(1, DATABASE);
        try (ResultSet rs = s.executeQuery()) {
          exists = rs.next();
        }
      }
      if (!exists) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + DATABASE);
        }
      }
    } catch (SQLException e) {
      throw CommandLineException.failure(
          "cannot create the database " + DATABASE + ": " + e.getMessage(), e);
    }
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** The cluster's directory. */
  Path directory() {
    return directory;
  }

  /** The TCP port on 127.0.0.1. */
  int port() {
    return port;
  }

  /** Whether this start created the cluster (a first run). */
  boolean createdCluster() {
    return createdCluster;
  }

  /** The JDBC URL of the events' database (pgjdbc). */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=" + USER;
  }

  /** How to look at the tables from a shell. */
  String psql() {
    return "psql -h 127.0.0.1 -p " + port + " -U " + USER + " " + DATABASE;
  }

  /** A DataSource for the events' database. */
  DataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {"127.0.0.1"});
    dataSource.setPortNumbers(new int[] {port});
    dataSource.setDatabaseName(DATABASE);
    dataSource.setUser(USER);
    return dataSource;
  }

  /** Stops PostgreSQL (fast shutdown: running transactions roll back, the cluster is kept). */
  @Override
  public synchronized void close() {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        throw new UncheckedIOException("the embedded PostgreSQL did not stop cleanly", e);
      } finally {
        postgres = null;
      }
    }
  }
}
