package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedS3Extension;
import io.segmentredshift.testkit.S3Server;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class BackfillCommandTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  private static final LocalDate MAR_01 = LocalDate.of(2024, 3, 1);
  private static final LocalDate MAR_02 = LocalDate.of(2024, 3, 2);
  private static final LocalDate MAR_03 = LocalDate.of(2024, 3, 3);

  @TempDir Path dir;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final AtomicLong clock = new AtomicLong();

  private static ArchiveFixture archive() {
    List<String> day1 = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      day1.add(ArchiveFixture.track("d1-" + i, "2024-03-01T10:00:" + (10 + i) + "Z"));
    }
    day1.add(5, "{\"type\":\"track\",\"event\":");
    return new ArchiveFixture()
        .file("src", MAR_01, "a.gz", day1.toArray(String[]::new))
        .file(
            "src",
            MAR_02,
            "b.gz",
            ArchiveFixture.track("d2-0", "2024-03-02T08:00:00Z"),
            // The same message again, as Segment's archive may hold it twice.
            ArchiveFixture.track("d1-0", "2024-03-01T10:00:10Z"),
            "{\"type\":\"identify\",\"userId\":\"u1\",\"messageId\":\"d2-1\","
                + "\"receivedAt\":\"2024-03-02T08:00:01Z\",\"traits\":{\"plan\":\"pro\"}}")
        .file("src", MAR_03, "c.gz", ArchiveFixture.track("d3-0", "2024-03-03T08:00:00Z"));
  }

  private int backfill(String schema, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--jdbc-url",
                PG.jdbcUrl(),
                "--user",
                PG.user(),
                "--schema",
                schema,
                "--batch-size",
                "10",
                "--progress-interval",
                "1s"));
    if (PG.password() != null && !PG.password().isEmpty()) {
      args.addAll(List.of("--password", PG.password()));
    }
    args.addAll(List.of(more));
    BackfillConfig config = BackfillConfig.parse(args, Map.of());
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    // Each look at the clock moves it on a second, so progress lines are due.
    return new BackfillCommand(config, out, false, () -> clock.addAndGet(1_000_000_000L)).run();
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static long count(String sql) throws Exception {
    try (Connection c = PG.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void loadsTheArchiveReportsMalformedLinesAndARerunLoadsNothingNew() throws Exception {
    archive().writeTo(dir);
    assertEquals(0, backfill("backfill_local", dir.toString(), "--to", "2024-03-02"));
    String first = printed();
    assertTrue(first.contains("2 files in range, 0 already loaded (skipped), 2 to load"), first);
    assertTrue(
        first.contains(
            "malformed: "
                + dir.resolve("segment-logs/src/1709251200000/a.gz")
                + " line 6: TRUNCATED"),
        first);
    assertTrue(first.contains("progress: "), first);
    assertTrue(first.contains("  files     2 loaded, 0 skipped (already loaded), 0 failed"), first);
    assertTrue(first.contains("  events    28 loaded"), first);
    assertTrue(
        first.contains("  rejected  1 malformed line, 0 events refused by Segment's rules"), first);
    assertEquals(26, count("SELECT count(*) FROM backfill_local.tracks"));
    assertEquals(26, count("SELECT count(*) FROM backfill_local.order_completed"));
    assertEquals(1, count("SELECT count(*) FROM backfill_local.identifies"));
    assertEquals(0, count("SELECT count(*) FROM backfill_local.tracks WHERE id = 'd3-0'"));
    assertEquals(2, count("SELECT count(*) FROM backfill_local._backfill_files"));
    assertEquals(
        25,
        count("SELECT events FROM backfill_local._backfill_files WHERE archive_key LIKE '%a.gz'"));

    bytes.reset();
    assertEquals(0, backfill("backfill_local", dir.toString(), "--to", "2024-03-02"));
    String second = printed();
    assertTrue(second.contains("2 files in range, 2 already loaded (skipped), 0 to load"), second);
    assertFalse(second.contains("malformed: "), second);
    assertEquals(26, count("SELECT count(*) FROM backfill_local.tracks"));
    assertEquals(2, count("SELECT count(*) FROM backfill_local._backfill_files"));

    bytes.reset();
    assertEquals(0, backfill("backfill_local", dir.toString()));
    assertTrue(printed().contains("3 files in range, 2 already loaded (skipped), 1 to load"));
    assertEquals(27, count("SELECT count(*) FROM backfill_local.tracks"));
  }

  @Test
  void showsTheFirstTwentyMalformedLinesInFullAndCountsTheRest() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(ArchiveFixture.track("ok-1", "2024-03-01T10:00:00Z"));
    for (int i = 0; i < 25; i++) {
      lines.add("{\"type\":\"track\",\"userId\":{\"bad\":" + i + "}}");
    }
    new ArchiveFixture().file("src", MAR_01, "bad.gz", lines.toArray(String[]::new)).writeTo(dir);
    assertEquals(0, backfill("backfill_bad", dir.toString()));
    String out = printed();
    List<String> shown = out.lines().filter(l -> l.startsWith("malformed: ")).toList();
    assertEquals(21, shown.size(), out);
    assertEquals(
        "malformed: "
            + dir.resolve("segment-logs/src/1709251200000/bad.gz")
            + " line 2: WRONG_FIELD_TYPE: must be a string or an integer (at /userId)",
        shown.get(0));
    assertEquals("malformed: more malformed lines are counted, not shown", shown.get(20));
    assertTrue(out.contains("  rejected  25 malformed lines, 0 events refused"), out);
    assertEquals(1, count("SELECT count(*) FROM backfill_bad.tracks"));
  }

  @Test
  void loadsFromS3ThroughAnS3CompatibleEndpoint() throws Exception {
    archive().writeTo(S3.client(), S3.bucket(), "logs/");
    System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
    try {
      assertEquals(
          0,
          backfill(
              "backfill_s3",
              "s3://" + S3.bucket() + "/logs",
              "--s3-endpoint",
              S3.endpoint().toString(),
              "--from",
              "2024-03-02"));
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
    // d2-0 and d1-0 (a copy of a message from a day not loaded here) and d3-0.
    assertEquals(3, count("SELECT count(*) FROM backfill_s3.tracks"));
    assertEquals(
        2, count("SELECT count(*) FROM backfill_s3._backfill_files WHERE version LIKE 'etag:%'"));
  }
}
