package io.segmentredshift.examples.server;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.Loader;
import io.segmentredshift.load.copy.S3CopyLoader;
import io.segmentredshift.load.insert.PreparedInsertLoader;
import io.segmentredshift.load.pgcopy.PostgresCopyLoader;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import javax.sql.DataSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The warehouse of a command, opened from its {@link WarehouseConfig}: the embedded PostgreSQL or a
 * JDBC URL, and the {@link SegmentRedshift} that loads into it with the chosen loader. Closing it
 * closes what it opened, PostgreSQL last.
 */
final class Warehouse implements AutoCloseable {
  /** A table of at least this many rows in a batch is COPYed by {@code --loader auto}. */
  static final int COPY_FROM_ROWS = 1000;

  private final EmbeddedWarehouse embedded;
  private final DataSource dataSource;
  private final S3Client staging;
  private final SegmentRedshift segment;
  private boolean closed;

  private Warehouse(
      EmbeddedWarehouse embedded,
      DataSource dataSource,
      S3Client staging,
      SegmentRedshift segment) {
    this.embedded = embedded;
    this.dataSource = dataSource;
    this.staging = staging;
    this.segment = segment;
  }

  /**
   * Starts or connects to the warehouse and builds the loader. On the embedded PostgreSQL, prints
   * how to look at the tables.
   *
   * @param settings the command's own settings of the {@link SegmentRedshift} (the server's spool
   *     and credentials)
   * @throws CommandLineException ({@link CommandLineException#FAILURE}) when the warehouse cannot
   *     be started or reached
   */
  static Warehouse open(
      WarehouseConfig config,
      String name,
      PrintStream out,
      Consumer<SegmentRedshift.Builder> settings) {
    EmbeddedWarehouse embedded = null;
    S3Client staging = null;
    try {
      DataSource dataSource;
      if (config.embedded()) {
        embedded = EmbeddedWarehouse.start(config.dataDir(), config.pgPort());
        dataSource = embedded.dataSource();
        out.println(
            (embedded.createdCluster() ? "created" : "started")
                + " the embedded PostgreSQL 17 in "
                + embedded.directory());
        out.println("  JDBC URL  " + embedded.jdbcUrl());
        out.println("  psql      " + embedded.psql());
        out.println("  tables    \\dt " + config.schema() + ".*");
      } else {
        dataSource = new UrlDataSource(config.jdbcUrl(), config.user(), config.password());
        check(dataSource, config);
      }
      Loader loader;
      if (config.dialect() == Dialect.redshift() && config.loader() != LoaderChoice.INSERT) {
        staging = config.s3().client();
        S3CopyLoader.Builder copy =
            S3CopyLoader.builder(staging, config.s3Bucket()).prefix(config.s3Prefix());
        if (config.iamRole() != null) {
          copy.iamRole(config.iamRole());
        } else {
          copy.credentials(config.copyCredentials());
        }
        loader = choose(config.loader(), copy.build());
      } else {
        loader = choose(config.loader(), new PostgresCopyLoader());
      }
      SegmentRedshift.Builder builder =
          SegmentRedshift.builder(dataSource)
              .dialect(config.dialect())
              .schema(config.schema())
              .loader(loader)
              .name(name);
      settings.accept(builder);
      SegmentRedshift segment = builder.build();
      return new Warehouse(embedded, dataSource, staging, segment);
    } catch (RuntimeException e) {
      if (staging != null) {
        staging.close();
      }
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  private static Loader choose(LoaderChoice choice, Loader copy) {
    return switch (choice) {
      case COPY -> copy;
      case INSERT -> new PreparedInsertLoader();
      case AUTO -> Loader.automatic(new PreparedInsertLoader(), copy, COPY_FROM_ROWS);
    };
  }

  /** Connects once, so that a wrong URL or password stops the command at its start. */
  private static void check(DataSource dataSource, WarehouseConfig config) {
    try (Connection c = dataSource.getConnection()) {
      c.isValid(10);
    } catch (SQLException e) {
      String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw CommandLineException.failure(
          "cannot connect to "
              + Masking.jdbcUrl(config.jdbcUrl())
              + ": "
              + message
              + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"),
          e);
    }
  }

  /** The DataSource of the warehouse. */
  DataSource dataSource() {
    return dataSource;
  }

  /** The loader. */
  SegmentRedshift segment() {
    return segment;
  }

  /** The embedded PostgreSQL, or null. */
  EmbeddedWarehouse embedded() {
    return embedded;
  }

  /** Closes what it opened, once; also from a shutdown hook while a command runs. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      segment.close();
    } finally {
      try {
        if (staging != null) {
          staging.close();
        }
      } finally {
        if (embedded != null) {
          embedded.close();
        }
      }
    }
  }
}
