package io.segmentredshift.load;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.copy.S3CopyLoader;
import io.segmentredshift.load.insert.PreparedInsertLoader;
import io.segmentredshift.load.pgcopy.PostgresCopyLoader;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * The warehouses and loaders the load tests run on: S3 COPY into the Redshift emulation (over
 * pgjdbc, or over the real Amazon Redshift JDBC driver), and prepared INSERT and COPY FROM STDIN
 * into PostgreSQL.
 */
record Targets(String name, Dialect dialect, DataSource load, DataSource read, Loader loader) {

  /** Loader names for parameterized tests. */
  static final String S3_COPY = "s3-copy";

  static final String S3_COPY_REDSHIFT_JDBC = "s3-copy/redshift-jdbc";
  static final String INSERT = "insert";
  static final String PG_COPY = "pg-copy";

  /** A fixed load time, so tables loaded by different loaders can be compared. */
  static final Instant LOADED = Instant.parse("2024-03-06T00:00:00Z");

  static Targets of(String name, EmbeddedPostgresExtension pg, EmbeddedRedshiftExtension rs) {
    return switch (name) {
      case S3_COPY -> new Targets(name, Dialect.redshift(), rs.dataSource(), rs.postgres(), s3(rs));
      case S3_COPY_REDSHIFT_JDBC ->
          new Targets(
              name, Dialect.redshift(), rs.redshiftDriverDataSource(), rs.postgres(), s3(rs));
      case INSERT ->
          new Targets(
              name,
              Dialect.postgres(),
              pg.dataSource(),
              pg.dataSource(),
              new PreparedInsertLoader());
      case PG_COPY ->
          new Targets(
              name, Dialect.postgres(), pg.dataSource(), pg.dataSource(), new PostgresCopyLoader());
      default -> throw new IllegalArgumentException(name);
    };
  }

  static S3CopyLoader s3(EmbeddedRedshiftExtension rs) {
    return S3CopyLoader.builder(rs.s3(), rs.bucket())
        .iamRole(EmbeddedRedshiftExtension.IAM_ROLE)
        .build();
  }

  /** A builder for this target with a fixed clock. */
  SegmentRedshift.Builder builder(String schema) {
    return SegmentRedshift.builder(load)
        .dialect(dialect)
        .schema(schema)
        .loader(loader)
        .name(name + "/" + schema)
        .clock(Clock.fixed(LOADED, ZoneOffset.UTC));
  }

  SegmentRedshift open(String schema) {
    return builder(schema).build();
  }

  boolean redshift() {
    return dialect == Dialect.redshift();
  }
}
