package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillConfigTest {
  @TempDir Path dir;

  private static String refusal(Map<String, String> env, String... args) {
    CommandLineException e =
        assertThrows(CommandLineException.class, () -> BackfillConfig.parse(List.of(args), env));
    assertEquals(CommandLineException.USAGE, e.exitCode());
    return e.getMessage();
  }

  @Test
  void readsALocalArchiveWithADayRangeAndSources() {
    BackfillConfig c =
        BackfillConfig.parse(
            List.of(
                dir.toString(),
                "--from",
                "2024-03-01",
                "--to",
                "2024-03-31",
                "--source-id",
                "src_a",
                "--progress-interval",
                "30s",
                "--batch-size",
                "500"),
            Map.of());
    assertEquals(dir, c.archive().directory());
    assertEquals(LocalDate.of(2024, 3, 1), c.from());
    assertEquals(LocalDate.of(2024, 3, 31), c.to());
    assertEquals(Set.of("src_a"), c.sourceIds());
    assertEquals(Duration.ofSeconds(30), c.progressInterval());
    assertEquals(500, c.warehouse().batchSize());
    assertTrue(c.warehouse().embedded());
  }

  @Test
  void readsAnS3ArchiveAndTheEnvironment() {
    BackfillConfig c =
        BackfillConfig.parse(
            List.of("s3://my-archive/exports"),
            Map.of(
                "SEGMENT_REDSHIFT_FROM", "2024-01-01",
                "SEGMENT_REDSHIFT_S3_ENDPOINT", "http://127.0.0.1:9000",
                // A server's variables in the same environment are left alone.
                "SEGMENT_REDSHIFT_SECRET", "s",
                "SEGMENT_REDSHIFT_PORT", "9090"));
    assertEquals("my-archive", c.archive().bucket());
    assertEquals("exports/", c.archive().prefix());
    assertEquals("s3://my-archive/exports/", c.archive().toString());
    assertEquals(LocalDate.of(2024, 1, 1), c.from());
    assertNull(c.to());
    assertEquals(Set.of(), c.sourceIds());
    assertEquals(Duration.ofSeconds(10), c.progressInterval());
    assertEquals("http://127.0.0.1:9000", c.warehouse().s3().endpoint().toString());
    assertEquals("", BackfillConfig.parse(List.of("s3://b"), Map.of()).archive().prefix());
  }

  @Test
  void refusesBadConfigurationsWithOneLine() {
    assertEquals(
        "backfill needs the archive: a directory or s3://BUCKET/PREFIX (see --help)",
        refusal(Map.of()));
    assertEquals(
        "unexpected argument \"two\" (see --help)", refusal(Map.of(), dir.toString(), "two"));
    assertEquals(
        "the archive \"" + dir.resolve("missing") + "\" is not a directory",
        refusal(Map.of(), dir.resolve("missing").toString()));
    assertEquals(
        "the archive \"s3:///x\" names no bucket (s3://BUCKET/PREFIX)",
        refusal(Map.of(), "s3:///x"));
    assertEquals(
        "the archive \"gs://b/x\" is neither a directory nor s3://BUCKET/PREFIX",
        refusal(Map.of(), "gs://b/x"));
    assertEquals(
        "--from: not a date (YYYY-MM-DD): \"2024-3-1\"",
        refusal(Map.of(), dir.toString(), "--from", "2024-3-1"));
    assertEquals(
        "--from 2024-04-01 is after --to 2024-03-01",
        refusal(Map.of(), dir.toString(), "--from", "2024-04-01", "--to", "2024-03-01"));
    assertEquals(
        "SEGMENT_REDSHIFT_TO: not a date (YYYY-MM-DD): \"yesterday\"",
        refusal(Map.of("SEGMENT_REDSHIFT_TO", "yesterday"), dir.toString()));
    assertEquals(
        "unknown option --secret (see --help)", refusal(Map.of(), dir.toString(), "--secret", "s"));
    assertEquals(
        "--source-id: not a source id: \"a/b\"",
        refusal(Map.of(), dir.toString(), "--source-id", "a/b"));
  }
}
