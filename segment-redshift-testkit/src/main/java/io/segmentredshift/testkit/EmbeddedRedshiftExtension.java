package io.segmentredshift.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An emulated Redshift for a test class: a fresh PostgreSQL 17 database and a fresh S3 bucket with
 * the {@link RedshiftEmulation} installed.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedRedshiftExtension REDSHIFT = new EmbeddedRedshiftExtension();
 *
 * try (Connection c = REDSHIFT.connect(); Statement s = c.createStatement()) {
 *   s.execute("CREATE TEMP TABLE stage (id varchar(64) DISTKEY, at timestamp SORTKEY)");
 *   s.execute("COPY stage FROM 's3://" + REDSHIFT.bucket() + "/batch/manifest' IAM_ROLE '"
 *       + EmbeddedRedshiftExtension.IAM_ROLE + "' MANIFEST CSV GZIP TIMEFORMAT 'auto'");
 * }
 * }</pre>
 *
 * <p>{@link #redshiftDriverDataSource()} gives the same emulation through the real Amazon Redshift
 * JDBC driver (via {@link RedshiftDriverProxy}).
 */
public final class EmbeddedRedshiftExtension implements BeforeAllCallback, AfterAllCallback {
  /** A role ARN to put in COPY statements; the emulation accepts any ARN and checks none. */
  public static final String IAM_ROLE = "arn:aws:iam::123456789012:role/segment-redshift-testkit";

  private final EmbeddedPostgresExtension postgres = EmbeddedPostgresExtension.shared();
  private final EmbeddedS3Extension s3 = new EmbeddedS3Extension();
  private int slices = 2;
  private RedshiftEmulation emulation;
  private RedshiftDriverProxy proxy;
  private DataSource redshiftDriverDataSource;

  /** An extension with a two-slice cluster. */
  public EmbeddedRedshiftExtension() {}

  /** Sets the slice count {@code stv_slices} shows (default 2); call before the tests run. */
  public EmbeddedRedshiftExtension slices(int slices) {
    if (slices <= 0) {
      throw new IllegalArgumentException("slices <= 0: " + slices);
    }
    this.slices = slices;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    postgres.beforeAll(context);
    s3.beforeAll(context);
    emulation =
        RedshiftEmulation.builder(postgres.dataSource(), s3.client()).slices(slices).build();
    proxy = RedshiftDriverProxy.start(postgres.server().port());
    redshiftDriverDataSource =
        emulation.wrap(
            new DriverDataSource(
                new com.amazon.redshift.jdbc.Driver(),
                proxy.jdbcUrl(postgres.database()),
                proxy.properties(postgres.user(), postgres.password())));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      proxy.close();
    } finally {
      try {
        s3.afterAll(context);
      } finally {
        postgres.afterAll(context);
      }
    }
  }

  /** The emulated Redshift: connections that strip DDL attributes and run COPY from S3. */
  public DataSource dataSource() {
    return emulation.dataSource();
  }

  /** A new emulated connection. */
  public Connection connect() throws SQLException {
    return dataSource().getConnection();
  }

  /**
   * The emulated Redshift through the real Amazon Redshift JDBC driver ({@code
   * com.amazon.redshift.jdbc.Driver}) and {@link RedshiftDriverProxy}. Do not use its
   * DatabaseMetaData: the driver's metadata queries only work on Redshift.
   */
  public DataSource redshiftDriverDataSource() {
    return redshiftDriverDataSource;
  }

  /** The same database without the emulation (pgjdbc), e.g. to check what a COPY stored. */
  public DataSource postgres() {
    return postgres.dataSource();
  }

  /** The pgjdbc URL of the database, without the emulation. */
  public String jdbcUrl() {
    return postgres.jdbcUrl();
  }

  /** The Redshift driver URL of the database through the proxy, without the emulation. */
  public String redshiftJdbcUrl() {
    return proxy.jdbcUrl(postgres.database());
  }

  /** Connection properties for {@link #redshiftJdbcUrl()} (user, password, {@code ssl=false}). */
  public Properties redshiftProperties() {
    return proxy.properties(postgres.user(), postgres.password());
  }

  /** The S3 client COPY reads with. */
  public S3Client s3() {
    return s3.client();
  }

  /** This class's bucket, created empty before the first test. */
  public String bucket() {
    return s3.bucket();
  }

  /** The emulation, e.g. to wrap another DataSource of the same database. */
  public RedshiftEmulation emulation() {
    return emulation;
  }
}
