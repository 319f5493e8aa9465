package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerConfigTest {
  private static final String REDSHIFT =
      "jdbc:redshift://c.eu-west-1.redshift.amazonaws.com:5439/dev";

  private static ServerConfig parse(String... args) {
    return ServerConfig.parse(List.of(args), Map.of());
  }

  private static CommandLineException refused(Map<String, String> env, String... args) {
    return assertThrows(CommandLineException.class, () -> ServerConfig.parse(List.of(args), env));
  }

  @Test
  void readsEveryFlag() {
    ServerConfig c =
        parse(
            "--port", "9090",
            "--bind-address", "127.0.0.1",
            "--jdbc-url", REDSHIFT,
            "--user", "loader",
            "--password", "pw-1",
            "--schema", "segment_prod",
            "--loader", "copy",
            "--batch-size", "5000",
            "--s3-bucket", "my-staging",
            "--s3-prefix", "stage/",
            "--s3-endpoint", "http://127.0.0.1:9000",
            "--s3-region", "eu-west-1",
            "--iam-role", "arn:aws:iam::123456789012:role/copy",
            "--data-dir", "/var/lib/sr",
            "--secret", "s1",
            "--secret", "s2",
            "--write-key", "wk1",
            "--write-key", "wk2=other_source",
            "--spool-dir", "/var/spool/sr",
            "--flush-interval", "1m30s");
    assertEquals(9090, c.port());
    assertEquals("127.0.0.1", c.bindAddress());
    WarehouseConfig w = c.warehouse();
    assertEquals(REDSHIFT, w.jdbcUrl());
    assertEquals("loader", w.user());
    assertEquals("pw-1", w.password());
    assertEquals("segment_prod", w.schema());
    assertEquals(Dialect.redshift(), w.dialect());
    assertEquals(LoaderChoice.COPY, w.loader());
    assertEquals(5000, w.batchSize());
    assertEquals("my-staging", w.s3Bucket());
    assertEquals("stage/", w.s3Prefix());
    assertEquals(URI.create("http://127.0.0.1:9000"), w.s3().endpoint());
    assertEquals("eu-west-1", w.s3().region());
    assertEquals("arn:aws:iam::123456789012:role/copy", w.iamRole());
    assertEquals(Path.of("/var/lib/sr"), w.dataDir());
    assertFalse(w.embedded());
    assertEquals(List.of("s1", "s2"), c.secrets());
    assertEquals(Map.of("wk1", "segment_prod", "wk2", "other_source"), c.writeKeys());
    assertFalse(c.allowUnauthenticated());
    assertEquals(Path.of("/var/spool/sr"), c.spoolDir());
    assertEquals(Duration.ofSeconds(90), c.flushInterval());
  }

  @Test
  void readsEveryEnvironmentVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("SEGMENT_REDSHIFT_PORT", "9090");
    env.put("SEGMENT_REDSHIFT_BIND_ADDRESS", "127.0.0.1");
    env.put("SEGMENT_REDSHIFT_JDBC_URL", "jdbc:postgresql://db:5432/wh");
    env.put("SEGMENT_REDSHIFT_USER", "loader");
    env.put("SEGMENT_REDSHIFT_PASSWORD", "pw-1");
    env.put("SEGMENT_REDSHIFT_SCHEMA", "segment_prod");
    env.put("SEGMENT_REDSHIFT_DIALECT", "redshift");
    env.put("SEGMENT_REDSHIFT_LOADER", "auto");
    env.put("SEGMENT_REDSHIFT_BATCH_SIZE", "5000");
    env.put("SEGMENT_REDSHIFT_S3_BUCKET", "my-staging");
    env.put("SEGMENT_REDSHIFT_S3_PREFIX", "stage/");
    env.put("SEGMENT_REDSHIFT_S3_ENDPOINT", "https://minio.local");
    env.put("SEGMENT_REDSHIFT_S3_REGION", "eu-west-1");
    env.put("SEGMENT_REDSHIFT_COPY_CREDENTIALS", "aws_access_key_id=A;aws_secret_access_key=B");
    env.put("SEGMENT_REDSHIFT_DATA_DIR", "/var/lib/sr");
    env.put("SEGMENT_REDSHIFT_SECRET", "s1, s2");
    env.put("SEGMENT_REDSHIFT_WRITE_KEY", "wk1,wk2=other");
    env.put("SEGMENT_REDSHIFT_ALLOW_UNAUTHENTICATED", "yes");
    env.put("SEGMENT_REDSHIFT_SPOOL_DIR", "/var/spool/sr");
    env.put("SEGMENT_REDSHIFT_FLUSH_INTERVAL", "5m");
    // Variables of the other command are left alone.
    env.put("SEGMENT_REDSHIFT_FROM", "2024-03-01");
    env.put("PATH", "/usr/bin");
    ServerConfig c = ServerConfig.parse(List.of(), env);
    assertEquals(9090, c.port());
    assertEquals("127.0.0.1", c.bindAddress());
    WarehouseConfig w = c.warehouse();
    assertEquals("jdbc:postgresql://db:5432/wh", w.jdbcUrl());
    assertEquals("loader", w.user());
    assertEquals("pw-1", w.password());
    assertEquals("segment_prod", w.schema());
    assertEquals(Dialect.redshift(), w.dialect());
    assertEquals(LoaderChoice.AUTO, w.loader());
    assertEquals(5000, w.batchSize());
    assertEquals("my-staging", w.s3Bucket());
    assertEquals("stage/", w.s3Prefix());
    assertEquals(URI.create("https://minio.local"), w.s3().endpoint());
    assertEquals("eu-west-1", w.s3().region());
    assertEquals("aws_access_key_id=A;aws_secret_access_key=B", w.copyCredentials());
    assertNull(w.iamRole());
    assertEquals(Path.of("/var/lib/sr"), w.dataDir());
    assertEquals(List.of("s1", "s2"), c.secrets());
    assertEquals(Map.of("wk1", "segment_prod", "wk2", "other"), c.writeKeys());
    assertTrue(c.allowUnauthenticated());
    assertEquals(Path.of("/var/spool/sr"), c.spoolDir());
    assertEquals(Duration.ofMinutes(5), c.flushInterval());
  }

  @Test
  void embeddedPostgresIsTheDefaultWithDefaultsForEverythingElse() {
    ServerConfig c = parse("--allow-unauthenticated");
    assertEquals(8080, c.port());
    assertEquals("0.0.0.0", c.bindAddress());
    WarehouseConfig w = c.warehouse();
    assertTrue(w.embedded());
    assertEquals(Dialect.postgres(), w.dialect());
    assertEquals("segment", w.schema());
    assertEquals(LoaderChoice.AUTO, w.loader());
    assertEquals(0, w.batchSize());
    assertEquals(10_000, w.backfillBatchSize());
    assertEquals(Path.of("segment-redshift-data"), w.dataDir());
    assertEquals(Path.of("segment-redshift-data", "postgres"), w.postgresDir());
    assertEquals(Path.of("segment-redshift-data", "spool"), c.spoolDir());
    assertNull(c.flushInterval());
    assertEquals(0, w.pgPort());
    assertTrue(c.allowUnauthenticated());
  }

  @Test
  void aFlagWinsOverItsVariableAndReplacesAVariablesList() {
    Map<String, String> env =
        Map.of(
            "SEGMENT_REDSHIFT_PORT", "9090",
            "SEGMENT_REDSHIFT_SECRET", "env1,env2",
            "SEGMENT_REDSHIFT_SCHEMA", "from_env");
    ServerConfig c = ServerConfig.parse(List.of("--port=7070", "--secret", "flag1"), env);
    assertEquals(7070, c.port());
    assertEquals(List.of("flag1"), c.secrets());
    assertEquals("from_env", c.warehouse().schema());
  }

  @Test
  void theLastValueOfASingleValuedFlagCounts() {
    assertEquals(7071, parse("--allow-unauthenticated", "--port", "7070", "--port", "7071").port());
  }

  @Test
  void aSwitchCanBeTurnedOffOnTheCommandLineOverTheEnvironment() {
    CommandLineException e =
        refused(
            Map.of("SEGMENT_REDSHIFT_ALLOW_UNAUTHENTICATED", "true"),
            "--allow-unauthenticated=false");
    assertTrue(e.getMessage().startsWith("refusing to accept events from anyone"), e.getMessage());
  }

  @Test
  void aPostgresClusterCanBeDeclaredRedshiftAndRedshiftPicksCopy() {
    ServerConfig c =
        parse(
            "--secret", "s",
            "--jdbc-url", "jdbc:postgresql://cluster:5439/dev",
            "--dialect", "redshift",
            "--s3-bucket", "stage-bucket",
            "--iam-role", "arn:aws:iam::1:role/r");
    assertEquals(Dialect.redshift(), c.warehouse().dialect());
    assertEquals("segment-redshift/", c.warehouse().s3Prefix());
  }

  @Test
  void redshiftWithInsertNeedsNoBucket() {
    ServerConfig c = parse("--secret", "s", "--jdbc-url", REDSHIFT, "--loader", "insert");
    assertEquals(LoaderChoice.INSERT, c.warehouse().loader());
    assertNull(c.warehouse().s3Bucket());
  }

  static Stream<Arguments> badConfigurations() {
    return Stream.of(
        bad("unknown option --prot (see --help)", "--prot", "80"),
        bad("unknown option -p (see --help)", "-p", "80"),
        bad("--port needs a value (PORT)", "--secret", "s", "--port"),
        bad("--port needs a value (PORT)", "--port", "--secret", "s"),
        bad("--port: not a whole number: \"80a\"", "--secret", "s", "--port", "80a"),
        bad("--port: 70000 is out of range (0 to 65535)", "--secret", "s", "--port", "70000"),
        bad("--batch-size: 0 is out of range (1 to 1000000)", "--secret", "s", "--batch-size", "0"),
        bad(
            "--flush-interval: not a duration: \"10\" (write e.g. 500ms, 30s, 5m, 1h)",
            "--secret",
            "s",
            "--flush-interval",
            "10"),
        bad(
            "--flush-interval: must be longer than 0: 0s",
            "--secret",
            "s",
            "--flush-interval",
            "0s"),
        bad("--loader: not copy, insert or auto: \"bulk\"", "--secret", "s", "--loader", "bulk"),
        bad(
            "--allow-unauthenticated: not true or false: \"maybe\"",
            "--allow-unauthenticated=maybe"),
        bad("unexpected argument \"serve2\" (see --help)", "--secret", "s", "serve2"),
        bad(
            "refusing to accept events from anyone: give --secret (the shared secret of Segment's"
                + " Webhooks destination) or --write-key, or --allow-unauthenticated for a trial"
                + " on a private network"),
        bad("--secret is empty", "--secret", ""),
        bad(
            "--jdbc-url: not a jdbc:postgresql: or jdbc:redshift: URL:"
                + " \"jdbc:mysql://h/db?password=******\"",
            "--secret",
            "s",
            "--jdbc-url",
            "jdbc:mysql://h/db?password=hunter2"),
        bad(
            "--user needs --jdbc-url (the embedded PostgreSQL is used as user postgres)",
            "--secret",
            "s",
            "--user",
            "me"),
        bad(
            "--password needs --jdbc-url (the embedded PostgreSQL is used as user postgres)",
            "--secret",
            "s",
            "--password",
            "pw"),
        bad(
            "--pg-port is for the embedded PostgreSQL, which --jdbc-url replaces",
            "--secret",
            "s",
            "--jdbc-url",
            "jdbc:postgresql://h/db",
            "--pg-port",
            "5433"),
        bad(
            "--schema: not a lowercase snake_case name of at most 63 characters: \"Segment-Prod\"",
            "--secret",
            "s",
            "--schema",
            "Segment-Prod"),
        bad(
            "--dialect redshift needs --jdbc-url (the embedded warehouse is PostgreSQL)",
            "--secret",
            "s",
            "--dialect",
            "redshift"),
        bad(
            "--dialect postgres does not go with a jdbc:redshift: URL (the Redshift driver cannot"
                + " talk to PostgreSQL)",
            "--secret",
            "s",
            "--jdbc-url",
            REDSHIFT,
            "--dialect",
            "postgres"),
        bad(
            "--loader copy loads with COPY from S3: give --s3-bucket and --iam-role (or --loader"
                + " insert, which is slow on Redshift)",
            "--secret",
            "s",
            "--jdbc-url",
            REDSHIFT,
            "--loader",
            "copy"),
        bad(
            "Redshift loads with COPY from S3: give --s3-bucket and --iam-role (or --loader"
                + " insert, which is slow on Redshift)",
            "--secret",
            "s",
            "--jdbc-url",
            REDSHIFT),
        bad(
            "COPY from S3 needs the cluster's authorization: give --iam-role (or"
                + " --copy-credentials)",
            "--secret",
            "s",
            "--jdbc-url",
            REDSHIFT,
            "--s3-bucket",
            "stage-bucket"),
        bad(
            "--iam-role and --copy-credentials: give one, not both",
            "--secret",
            "s",
            "--jdbc-url",
            REDSHIFT,
            "--s3-bucket",
            "stage-bucket",
            "--iam-role",
            "arn:aws:iam::1:role/r",
            "--copy-credentials",
            "x"),
        bad(
            "--iam-role: not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME): \"copy-role\"",
            "--secret",
            "s",
            "--jdbc-url",
            REDSHIFT,
            "--s3-bucket",
            "stage-bucket",
            "--iam-role",
            "copy-role"),
        bad(
            "--s3-bucket: not a bucket name: \"My_Bucket\"",
            "--secret",
            "s",
            "--jdbc-url",
            REDSHIFT,
            "--s3-bucket",
            "My_Bucket",
            "--iam-role",
            "arn:aws:iam::1:role/r"),
        bad(
            "--s3-bucket stages COPY files for Redshift; PostgreSQL loads with COPY FROM STDIN"
                + " and needs no bucket (set --dialect redshift if this is Redshift)",
            "--secret",
            "s",
            "--s3-bucket",
            "stage-bucket"),
        bad(
            "--iam-role is for --loader copy or auto; --loader insert does not use S3",
            "--secret",
            "s",
            "--jdbc-url",
            REDSHIFT,
            "--loader",
            "insert",
            "--iam-role",
            "arn:aws:iam::1:role/r"),
        bad(
            "--s3-endpoint: not an http(s) URL: \"minio:9000\"",
            "--secret",
            "s",
            "--s3-endpoint",
            "minio:9000"),
        bad("--write-key: a write key is empty", "--write-key", "=segment"),
        bad(
            "--write-key: the schema after '=' is not a lowercase snake_case name (write"
                + " KEY=SCHEMA; a key with '=' in it needs its schema given)",
            "--write-key",
            "abc=Not-A-Schema"));
  }

  private static Arguments bad(String message, String... args) {
    return Arguments.of(message, List.of(args));
  }

  @ParameterizedTest
  @MethodSource("badConfigurations")
  void aBadConfigurationIsRefusedWithOneLineAndTheUsageExitCode(String message, List<String> args) {
    CommandLineException e =
        assertThrows(CommandLineException.class, () -> ServerConfig.parse(args, Map.of()));
    assertEquals(message, e.getMessage());
    assertEquals(CommandLineException.USAGE, e.exitCode());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aBadVariableIsNamedByItsVariable() {
    assertEquals(
        "SEGMENT_REDSHIFT_PORT: not a whole number: \"http\"",
        refused(Map.of("SEGMENT_REDSHIFT_PORT", "http"), "--secret", "s").getMessage());
    assertEquals(
        "unknown environment variable \"SEGMENT_REDSHIFT_PROT\"",
        refused(Map.of("SEGMENT_REDSHIFT_PROT", "80"), "--secret", "s").getMessage());
    assertEquals(
        "SEGMENT_REDSHIFT_ALLOW_UNAUTHENTICATED: not true or false: \"si\"",
        refused(Map.of("SEGMENT_REDSHIFT_ALLOW_UNAUTHENTICATED", "si")).getMessage());
  }

  @Test
  void anEmptyVariableCountsAsUnset() {
    assertEquals(
        8080,
        ServerConfig.parse(List.of("--secret", "s"), Map.of("SEGMENT_REDSHIFT_PORT", " ")).port());
  }

  @Test
  void helpWinsOverEverythingElse() {
    assertTrue(help("--port", "bad", "--help", "--unknown"));
    assertTrue(help("-h"));
    assertFalse(help("--allow-unauthenticated"));
  }

  private static boolean help(String... args) {
    return io.segmentredshift.examples.server.Arguments.parse(
            Options.serve(), List.of(args), Map.of(), Options.allEnv())
        .help();
  }

  @Test
  void theEchoAndToStringMaskEverySecret() {
    ServerConfig c =
        parse(
            "--jdbc-url", REDSHIFT + ";password=url-secret-1",
            "--password", "pw-secret-2",
            "--s3-bucket", "stage-bucket",
            "--copy-credentials", "aws_secret_access_key=cred-secret-3",
            "--secret", "hook-secret-4",
            "--write-key", "write-key-5=segment_prod");
    String shown = String.join("\n", c.describe()) + c + c.warehouse();
    for (String secret :
        List.of("url-secret-1", "pw-secret-2", "cred-secret-3", "hook-secret-4", "write-key-5")) {
      assertFalse(shown.contains(secret), secret + " shown in:\n" + shown);
    }
    assertTrue(shown.contains("password=******"), shown);
    assertTrue(shown.contains("1 webhook secret ******"), shown);
    assertTrue(shown.contains("1 write key ****** (schemas segment_prod)"), shown);
  }

  @Test
  void aSecretIsNeverShownInARefusal() {
    CommandLineException url =
        refused(
            Map.of(),
            "--secret",
            "s",
            "--jdbc-url",
            "jdbc:oracle:thin:scott/hunter1@//h:1521/x;password=hunter2");
    assertFalse(url.getMessage().contains("hunter2"), url.getMessage());
    CommandLineException key = refused(Map.of(), "--write-key", "hunter3=Bad");
    assertFalse(key.getMessage().contains("hunter3"), key.getMessage());
  }
}
