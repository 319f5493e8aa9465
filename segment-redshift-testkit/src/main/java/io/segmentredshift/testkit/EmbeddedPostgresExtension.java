package io.segmentredshift.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL 17 for a test class: one server per JVM, a fresh database per test class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
 *
 * @Test
 * void roundTrip() throws SQLException {
 *   try (Connection c = PG.connect()) { ... }
 * }
 * }</pre>
 *
 * <p>{@link #dedicated()} gives the class its own server instead, which the test may {@link
 * #server() stop and restart} to simulate an outage.
 */
public final class EmbeddedPostgresExtension implements BeforeAllCallback, AfterAllCallback {

  private final boolean dedicated;
  private PostgresServer server;
  private String database;

  private EmbeddedPostgresExtension(boolean dedicated) {
    this.dedicated = dedicated;
  }

  /** A fresh database on the server this JVM shares between test classes. */
  public static EmbeddedPostgresExtension shared() {
    return new EmbeddedPostgresExtension(false);
  }

  /** A server of the class's own, durable (fsync on), that the test may stop and restart. */
  public static EmbeddedPostgresExtension dedicated() {
    return new EmbeddedPostgresExtension(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (dedicated) {
      Path dir = Files.createTempDirectory("segment-redshift-pg");
      server = PostgresServer.start(dir.resolve("data"), true);
    } else {
      server = sharedServer(context);
    }
    database = server.createDatabase(context.getRequiredTestClass().getSimpleName());
  }

  private static PostgresServer sharedServer(ExtensionContext context) {
    // One per JVM: the root store is shared by every test class, and JUnit closes its
    // AutoCloseable values when the whole run ends.
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(EmbeddedPostgresExtension.class))
        .getOrComputeIfAbsent(
            "shared-server", key -> PostgresServer.start(null, false), PostgresServer.class);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (dedicated) {
      server.close();
    } else {
      server.dropDatabase(database);
    }
  }

  /** The server; for a {@link #dedicated()} one, {@code stop()} and {@code restart()} work. */
  public PostgresServer server() {
    return server;
  }

  /** The name of this class's database. */
  public String database() {
    return database;
  }

  /** pgjdbc URL of this class's database. */
  public String jdbcUrl() {
    return server.jdbcUrl(database);
  }

  /** The user to connect as. */
  public String user() {
    return PostgresServer.USER;
  }

  /** The password (the server trusts loopback connections, so any password works). */
  public String password() {
    return "";
  }

  /** A DataSource for this class's database. */
  public DataSource dataSource() {
    return server.dataSource(database);
  }

  /** A new connection to this class's database. */
  public Connection connect() throws SQLException {
    return dataSource().getConnection();
  }
}
