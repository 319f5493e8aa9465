package io.segmentredshift.examples.server;

import static io.segmentredshift.examples.server.Options.BATCH_SIZE;
import static io.segmentredshift.examples.server.Options.COPY_CREDENTIALS;
import static io.segmentredshift.examples.server.Options.DATA_DIR;
import static io.segmentredshift.examples.server.Options.DIALECT;
import static io.segmentredshift.examples.server.Options.IAM_ROLE;
import static io.segmentredshift.examples.server.Options.JDBC_URL;
import static io.segmentredshift.examples.server.Options.LOADER;
import static io.segmentredshift.examples.server.Options.PASSWORD;
import static io.segmentredshift.examples.server.Options.PG_PORT;
import static io.segmentredshift.examples.server.Options.S3_BUCKET;
import static io.segmentredshift.examples.server.Options.S3_ENDPOINT;
import static io.segmentredshift.examples.server.Options.S3_PREFIX;
import static io.segmentredshift.examples.server.Options.S3_REGION;
import static io.segmentredshift.examples.server.Options.SCHEMA;
import static io.segmentredshift.examples.server.Options.USER;

import io.segmentredshift.dialect.Dialect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the events go and how they are loaded: the options both commands share, checked together.
 *
 * @param jdbcUrl the warehouse, or null for the embedded PostgreSQL
 * @param user the warehouse user, or null
 * @param password the warehouse password, or null; never shown
 * @param schema the schema to load into
 * @param dialect the warehouse's SQL dialect
 * @param loader how rows are loaded
 * @param batchSize the most events per load, or 0 for the default (the library's per dialect for
 *     {@code serve}, {@value #DEFAULT_BACKFILL_BATCH_SIZE} for {@code backfill})
 * @param s3 how S3 is reached (staging and backfill)
 * @param s3Bucket Redshift: the staging bucket for COPY, or null
 * @param s3Prefix Redshift: the staging key prefix
 * @param iamRole Redshift: the role COPY uses, or null
 * @param copyCredentials Redshift: the COPY CREDENTIALS string, or null; never shown
 * @param dataDir local state: the embedded PostgreSQL, the default spool
 * @param pgPort the embedded PostgreSQL's port, or 0 for the last run's (or a free one)
 */
record WarehouseConfig(
    String jdbcUrl,
    String user,
    String password,
    String schema,
    Dialect dialect,
    LoaderChoice loader,
    int batchSize,
    S3Settings s3,
    String s3Bucket,
    String s3Prefix,
    String iamRole,
    String copyCredentials,
    Path dataDir,
    int pgPort) {

  static final String DEFAULT_SCHEMA = "segment";
  static final String DEFAULT_S3_PREFIX = "segment-redshift/";
  static final int DEFAULT_BACKFILL_BATCH_SIZE = 10_000;
  static final Path DEFAULT_DATA_DIR = Path.of("segment-redshift-data");

  /** Segment's schema names: lowercase snake_case, as its warehouse sync makes them. */
  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");

  /** True when the events go to an embedded PostgreSQL started by this process. */
  boolean embedded() {
    return jdbcUrl == null;
  }

  /** The batch size of the backfill. */
  int backfillBatchSize() {
    return batchSize == 0 ? DEFAULT_BACKFILL_BATCH_SIZE : batchSize;
  }

  /** The embedded PostgreSQL's data directory. */
  Path postgresDir() {
    return dataDir.resolve("postgres");
  }

  /** Reads and checks the warehouse options. */
  static WarehouseConfig from(Arguments a) {
    String url = a.has(JDBC_URL) ? a.string(JDBC_URL, null) : null;
    String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
    if (url != null
        && !lower.startsWith("jdbc:postgresql:")
        && !lower.startsWith("jdbc:redshift:")) {
      throw CommandLineException.usage(
          a.origin(JDBC_URL)
              + ": not a jdbc:postgresql: or jdbc:redshift: URL: "
              + Arguments.shown(Masking.jdbcUrl(url)));
    }
    Dialect dialect = dialect(a, url, lower);
    String user = a.has(USER) ? a.string(USER, null) : null;
    String password = a.has(PASSWORD) ? a.raw(PASSWORD, null) : null;
    if (url == null) {
      for (String flag : List.of(USER, PASSWORD)) {
        if (a.has(flag)) {
          throw CommandLineException.usage(
              a.origin(flag)
                  + " needs --jdbc-url (the embedded PostgreSQL is used as user postgres)");
        }
      }
    } else if (a.has(PG_PORT)) {
      throw CommandLineException.usage(
          a.origin(PG_PORT) + " is for the embedded PostgreSQL, which --jdbc-url replaces");
    }
    String schema = a.string(SCHEMA, DEFAULT_SCHEMA);
    if (!SCHEMA_NAME.matcher(schema).matches()
        || schema.getBytes(StandardCharsets.UTF_8).length > dialect.maxIdentifierBytes()) {
      throw CommandLineException.usage(
          a.origin(SCHEMA)
              + ": not a lowercase snake_case name of at most "
              + dialect.maxIdentifierBytes()
              + " characters: "
              + Arguments.shown(schema));
    }
    LoaderChoice loader =
        a.has(LOADER)
            ? LoaderChoice.parse(a.origin(LOADER), a.string(LOADER, null))
            : LoaderChoice.AUTO;
    int batchSize = a.integer(BATCH_SIZE, 1, 1_000_000, 0);
    S3Settings s3 =
        new S3Settings(a.url(S3_ENDPOINT), a.has(S3_REGION) ? a.string(S3_REGION, null) : null);
    String bucket = a.has(S3_BUCKET) ? a.string(S3_BUCKET, null) : null;
    String prefix = a.raw(S3_PREFIX, DEFAULT_S3_PREFIX);
    String iamRole = a.has(IAM_ROLE) ? a.string(IAM_ROLE, null) : null;
    String credentials = a.has(COPY_CREDENTIALS) ? a.string(COPY_CREDENTIALS, null) : null;
    checkStaging(a, dialect, loader, bucket, prefix, iamRole, credentials);
    Path dataDir = Path.of(a.string(DATA_DIR, DEFAULT_DATA_DIR.toString()));
    int pgPort = a.integer(PG_PORT, 1, 65535, 0);
    return new WarehouseConfig(
        url,
        user,
        password,
        schema,
        dialect,
        loader,
        batchSize,
        s3,
        bucket,
        prefix,
        iamRole,
        credentials,
        dataDir,
        pgPort);
  }

  private static Dialect dialect(Arguments a, String url, String lower) {
    boolean redshiftUrl = lower.startsWith("jdbc:redshift:");
    if (!a.has(DIALECT)) {
      return redshiftUrl ? Dialect.redshift() : Dialect.postgres();
    }
    String value = a.string(DIALECT, null).toLowerCase(Locale.ROOT);
    Dialect d =
        switch (value) {
          case "postgres", "postgresql" -> Dialect.postgres();
          case "redshift" -> Dialect.redshift();
          default ->
              throw CommandLineException.usage(
                  a.origin(DIALECT) + ": not postgres or redshift: " + Arguments.shown(value));
        };
    if (url == null && d == Dialect.redshift()) {
      throw CommandLineException.usage(
          a.origin(DIALECT) + " redshift needs --jdbc-url (the embedded warehouse is PostgreSQL)");
    }
    if (redshiftUrl && d == Dialect.postgres()) {
      throw CommandLineException.usage(
          a.origin(DIALECT)
              + " postgres does not go with a jdbc:redshift: URL (the Redshift driver cannot"
              + " talk to PostgreSQL)");
    }
    return d;
  }

  /** Redshift's COPY reads staged files from S3; PostgreSQL's needs none of that. */
  private static void checkStaging(
      Arguments a,
      Dialect dialect,
      LoaderChoice loader,
      String bucket,
      String prefix,
      String iamRole,
      String credentials) {
    if (dialect == Dialect.postgres()) {
      for (String flag : List.of(S3_BUCKET, S3_PREFIX, IAM_ROLE, COPY_CREDENTIALS)) {
        if (a.has(flag)) {
          throw CommandLineException.usage(
              a.origin(flag)
                  + " stages COPY files for Redshift; PostgreSQL loads with COPY FROM STDIN"
                  + " and needs no bucket (set --dialect redshift if this is Redshift)");
        }
      }
      return;
    }
    if (loader == LoaderChoice.INSERT) {
      for (String flag : List.of(S3_BUCKET, S3_PREFIX, IAM_ROLE, COPY_CREDENTIALS)) {
        if (a.has(flag)) {
          throw CommandLineException.usage(
              a.origin(flag) + " is for --loader copy or auto; --loader insert does not use S3");
        }
      }
      return;
    }
    String loaderOrigin = a.has(LOADER) ? a.origin(LOADER) + " " + loader : "Redshift";
    if (bucket == null) {
      throw CommandLineException.usage(
          loaderOrigin
              + " loads with COPY from S3: give --s3-bucket and --iam-role"
              + " (or --loader insert, which is slow on Redshift)");
    }
    if (!BUCKET.matcher(bucket).matches()) {
      throw CommandLineException.usage(
          a.origin(S3_BUCKET) + ": not a bucket name: " + Arguments.shown(bucket));
    }
    if (prefix.startsWith("/")) {
      throw CommandLineException.usage(
          a.origin(S3_PREFIX) + ": must not start with /: " + Arguments.shown(prefix));
    }
    if (iamRole != null && credentials != null) {
      throw CommandLineException.usage(
          a.origin(IAM_ROLE) + " and " + a.origin(COPY_CREDENTIALS) + ": give one, not both");
    }
    if (iamRole == null && credentials == null) {
      throw CommandLineException.usage(
          "COPY from S3 needs the cluster's authorization: give --iam-role (or"
              + " --copy-credentials)");
    }
    if (iamRole != null && !iamRole.startsWith("arn:")) {
      throw CommandLineException.usage(
          a.origin(IAM_ROLE)
              + ": not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME): "
              + Arguments.shown(iamRole));
    }
  }

  /** The settings for a startup echo, secrets masked. */
  List<String> describe() {
    List<String> lines = new ArrayList<>();
    if (embedded()) {
      lines.add("warehouse       embedded PostgreSQL 17 in " + postgresDir().toAbsolutePath());
    } else {
      lines.add("warehouse       " + Masking.jdbcUrl(jdbcUrl) + " (" + dialect + ")");
      lines.add("user            " + (user == null ? "(from the URL)" : user));
      lines.add("password        " + Masking.secret(password));
    }
    lines.add("schema          " + schema);
    lines.add(
        "loader          "
            + loader
            + (batchSize == 0 ? "" : ", batches of up to " + batchSize + " events"));
    if (s3Bucket != null) {
      lines.add("COPY staging    s3://" + s3Bucket + "/" + s3Prefix);
      lines.add(
          "COPY auth       "
              + (iamRole != null ? "IAM role " + iamRole : "credentials " + Masking.MASK));
    }
    if (s3.endpoint() != null) {
      lines.add("S3 endpoint     " + s3.endpoint());
    }
    if (s3.region() != null) {
      lines.add("S3 region       " + s3.region());
    }
    return lines;
  }

  /** Secrets masked. */
  @Override
  public String toString() {
    return "WarehouseConfig" + describe();
  }
}
