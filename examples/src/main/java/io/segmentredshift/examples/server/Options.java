package io.segmentredshift.examples.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The options of the two commands, {@code serve} and {@code backfill}, and their help. */
final class Options {
  static final String PORT = "--port";
  static final String BIND_ADDRESS = "--bind-address";
  static final String JDBC_URL = "--jdbc-url";
  static final String USER = "--user";
  static final String PASSWORD = "--password";
  static final String SCHEMA = "--schema";
  static final String DIALECT = "--dialect";
  static final String SECRET = "--secret";
  static final String WRITE_KEY = "--write-key";
  static final String ALLOW_UNAUTHENTICATED = "--allow-unauthenticated";
  static final String SPOOL_DIR = "--spool-dir";
  static final String DATA_DIR = "--data-dir";
  static final String PG_PORT = "--pg-port";
  static final String LOADER = "--loader";
  static final String S3_BUCKET = "--s3-bucket";
  static final String S3_PREFIX = "--s3-prefix";
  static final String S3_ENDPOINT = "--s3-endpoint";
  static final String S3_REGION = "--s3-region";
  static final String IAM_ROLE = "--iam-role";
  static final String COPY_CREDENTIALS = "--copy-credentials";
  static final String FLUSH_INTERVAL = "--flush-interval";
  static final String BATCH_SIZE = "--batch-size";
  static final String FROM = "--from";
  static final String TO = "--to";
  static final String SOURCE_ID = "--source-id";
  static final String PROGRESS_INTERVAL = "--progress-interval";

  /** Where the data go, and how they are loaded: shared by both commands. */
  static final List<Option> WAREHOUSE =
      List.of(
          Option.value(
              JDBC_URL,
              "URL",
              "The warehouse: jdbc:postgresql://host:5432/db or"
                  + " jdbc:redshift://cluster.region.redshift.amazonaws.com:5439/db. Without it,"
                  + " an embedded PostgreSQL 17 is started, its data kept in --data-dir."),
          Option.value(USER, "NAME", "The warehouse user (with --jdbc-url)."),
          Option.secret(PASSWORD, "PASSWORD", "The warehouse password (with --jdbc-url)."),
          Option.value(
              SCHEMA,
              "NAME",
              "The schema the events go into, one per Segment source, lowercase snake_case."
                  + " Default: segment."),
          Option.value(
              DIALECT,
              "postgres|redshift",
              "What the warehouse is. Default: redshift for a jdbc:redshift: URL, postgres"
                  + " otherwise; say redshift for a Redshift cluster reached with a"
                  + " jdbc:postgresql: URL."),
          Option.value(
              LOADER,
              "copy|insert|auto",
              "How rows are loaded. copy: COPY FROM STDIN on PostgreSQL, COPY from S3 on"
                  + " Redshift (needs --s3-bucket and --iam-role); insert: prepared INSERT"
                  + " (slow on Redshift); auto: INSERT for small tables of a batch, COPY for"
                  + " large ones. Default: auto."),
          Option.value(
              BATCH_SIZE,
              "N",
              "The most events loaded in one batch (one merge transaction). Default: serve"
                  + " 10000 on PostgreSQL, 25000 on Redshift; backfill 10000."),
          Option.value(
              S3_BUCKET,
              "BUCKET",
              "Redshift: the bucket where COPY files are staged (deleted after each load)."),
          Option.value(
              S3_PREFIX,
              "PREFIX",
              "Redshift: the key prefix of the staged COPY files. Default: segment-redshift/."),
          Option.value(
              S3_ENDPOINT,
              "URL",
              "An S3-compatible store instead of AWS (MinIO, Ceph, ...), e.g."
                  + " http://127.0.0.1:9000; path-style requests. Used for staging and for"
                  + " backfill. Credentials come from the usual AWS variables or profile."),
          Option.value(
              S3_REGION,
              "REGION",
              "The S3 region, e.g. eu-west-1. Default: from the AWS environment or profile,"
                  + " else us-east-1."),
          Option.value(
              IAM_ROLE,
              "ARN",
              "Redshift: the IAM role the cluster assumes to read the staged files"
                  + " (COPY ... IAM_ROLE)."),
          Option.secret(
              COPY_CREDENTIALS,
              "CREDENTIALS",
              "Redshift: a COPY CREDENTIALS string"
                  + " (aws_access_key_id=...;aws_secret_access_key=...) instead of --iam-role."),
          Option.value(
              DATA_DIR,
              "DIR",
              "Local state: the embedded PostgreSQL (DIR/postgres, kept across restarts) and"
                  + " the default spool (DIR/spool). Default: ./segment-redshift-data."),
          Option.value(
              PG_PORT,
              "PORT",
              "The embedded PostgreSQL's port. Default: the port of the last run (kept in"
                  + " DIR/postgres.port), a free one the first time."));

  /** The HTTP side: {@code serve} only. */
  static final List<Option> SERVE =
      List.of(
          Option.value(PORT, "PORT", "The HTTP port. Default: 8080; 0 picks a free one."),
          Option.value(
              BIND_ADDRESS,
              "ADDRESS",
              "The address to listen on. Default: 0.0.0.0 (all interfaces)."),
          Option.list(
              SECRET,
              "SECRET",
              true,
              "A shared secret of Segment's Webhooks destination: requests to / and /webhook"
                  + " must carry a valid X-Signature. Repeatable (to rotate secrets)."),
          Option.list(
              WRITE_KEY,
              "KEY[=SCHEMA]",
              true,
              "A write key accepted on the Tracking API routes (/v1/batch, /v1/track, ...),"
                  + " optionally with the schema its events go into (default --schema)."
                  + " Repeatable."),
          Option.flag(
              ALLOW_UNAUTHENTICATED,
              "Accept requests without a signature or write key. For a trial on a private"
                  + " network only: without it, the server refuses to start unauthenticated."),
          Option.value(
              SPOOL_DIR,
              "DIR",
              "Where accepted events are kept (fsync) until they are loaded. Default:"
                  + " DATA_DIR/spool."),
          Option.value(
              FLUSH_INTERVAL,
              "DURATION",
              "The longest an accepted event waits before its batch is loaded, e.g. 10s, 5m,"
                  + " 1h. Default: 2s on PostgreSQL, 1m on Redshift (where each COPY has a fixed"
                  + " cost)."));

  /** The archive side: {@code backfill} only. */
  static final List<Option> BACKFILL =
      List.of(
          Option.value(
              FROM, "YYYY-MM-DD", "The first day (UTC) to load, inclusive. Default: the first."),
          Option.value(
              TO, "YYYY-MM-DD", "The last day (UTC) to load, inclusive. Default: the last."),
          Option.list(
              SOURCE_ID,
              "ID",
              false,
              "Only this Segment source of the archive. Needed when it holds several: each"
                  + " source goes into its own --schema. Repeatable."),
          Option.value(
              PROGRESS_INTERVAL,
              "DURATION",
              "How often a progress line is printed when the output is not a terminal."
                  + " Default: 10s."));

  private Options() {}

  /** The options of {@code serve}. */
  static List<Option> serve() {
    List<Option> all = new ArrayList<>(SERVE);
    all.addAll(WAREHOUSE);
    return all;
  }

  /** The options of {@code backfill}. */
  static List<Option> backfill() {
    List<Option> all = new ArrayList<>(WAREHOUSE);
    all.addAll(BACKFILL);
    return all;
  }

  /** The environment variables of every command. */
  static Set<String> allEnv() {
    Set<String> names = new LinkedHashSet<>();
    for (List<Option> group : List.of(SERVE, WAREHOUSE, BACKFILL)) {
      for (Option o : group) {
        names.add(o.env());
      }
    }
    return names;
  }

  /** The text of {@code --help}. */
  static String help() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: segment-redshift [serve] [options]\n");
    b.append("       segment-redshift backfill <DIRECTORY | s3://BUCKET/PREFIX> [options]\n\n");
    b.append("serve     receives Segment events over HTTP (Webhooks destination, Tracking API)\n");
    b.append("          and loads them into PostgreSQL or Redshift, laid out like Segment's\n");
    b.append("          warehouse sync. The default command.\n");
    b.append("backfill  loads Segment's S3 archive (segment-logs/<source-id>/<day>/*.gz) from\n");
    b.append("          a directory or an S3 bucket; files already loaded are skipped.\n\n");
    b.append("Every option can also be set by its environment variable; an option on the\n");
    b.append("command line wins. Repeatable options take a comma-separated list there.\n");
    b.append("Prefer the environment for passwords and secrets (the command line shows in ps).\n");
    section(b, "serve", SERVE);
    section(b, "serve and backfill", WAREHOUSE);
    section(b, "backfill", BACKFILL);
    b.append("\nExit codes: 0 done, 1 failed, 2 bad configuration.\n");
    return b.toString();
  }

  private static void section(StringBuilder b, String title, List<Option> options) {
    b.append("\nOptions of ").append(title).append(":\n");
    for (Option o : options) {
      b.append("  ").append(o.flag());
      if (o.kind() != Option.Kind.SWITCH) {
        b.append(' ').append(o.valueName());
      }
      b.append("   [").append(o.env()).append("]\n");
      wrap(b, o.help(), "      ", 78);
    }
  }

  private static void wrap(StringBuilder b, String text, String indent, int width) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
        b.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    b.append(line).append('\n');
  }
}
