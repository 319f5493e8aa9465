package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.testkit.EmbeddedS3Extension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ArchiveScannerTest {
  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  private static final LocalDate FEB_29 = LocalDate.of(2024, 2, 29);
  private static final LocalDate MAR_01 = LocalDate.of(2024, 3, 1);
  private static final LocalDate MAR_02 = LocalDate.of(2024, 3, 2);
  private static final LocalDate MAR_31 = LocalDate.of(2024, 3, 31);
  private static final LocalDate APR_01 = LocalDate.of(2024, 4, 1);

  @TempDir static Path local;

  static final ArchiveFixture ARCHIVE =
      new ArchiveFixture()
          .file("src_a", FEB_29, "b.gz", "{}")
          .file("src_a", MAR_01, "b.gz", "{}")
          .file("src_a", MAR_01, "a.gz", "{}")
          .file("src_a", MAR_02, "x.gz", "{}")
          .file("src_a", MAR_31, "y.gz", "{}")
          .file("src_a", APR_01, "z.gz", "{}")
          .file("src_b", MAR_01, "c.gz", "{}")
          .raw("segment-logs/dummy-object.txt", "Segment's check".getBytes(StandardCharsets.UTF_8))
          .raw("segment-logs/src_a/notes/readme.gz", new byte[] {1})
          .raw("segment-logs/src_a/1709251200000/manifest.json", new byte[] {1})
          .raw("other/1709251200000/q.gz", new byte[] {1});

  @BeforeAll
  static void write() throws Exception {
    ARCHIVE.writeTo(local.resolve("archive"));
    ARCHIVE.writeTo(S3.client(), S3.bucket(), "exports/");
  }

  private static ArchiveStore localStore(String path) {
    return new ArchiveStore.Local(local.resolve("archive").resolve(path));
  }

  private static ArchiveStore s3Store(String prefix) {
    return new ArchiveStore.S3(S3.client(), S3.bucket(), prefix);
  }

  private static List<String> keys(List<ArchiveFile> files) {
    return files.stream().map(ArchiveFile::key).toList();
  }

  @Test
  void listsTheDaysInRangeInclusiveFromALocalDirectory() {
    List<ArchiveFile> files =
        ArchiveScanner.scan(localStore(""), "archive", MAR_01, MAR_31, Set.of("src_a"));
    assertEquals(
        List.of(
            "segment-logs/src_a/1709251200000/a.gz",
            "segment-logs/src_a/1709251200000/b.gz",
            "segment-logs/src_a/1709337600000/x.gz",
            "segment-logs/src_a/1711843200000/y.gz"),
        keys(files));
    ArchiveFile first = files.get(0);
    assertEquals("src_a", first.sourceId());
    assertEquals(MAR_01, first.day());
    assertTrue(first.version().startsWith("mtime:"), first.version());
    assertTrue(first.size() > 0);
    assertEquals(
        local.resolve("archive").resolve("segment-logs/src_a/1709251200000/a.gz").toString(),
        first.location());
  }

  @Test
  void listsTheSameFilesFromS3WithTheirETags() {
    List<ArchiveFile> files =
        ArchiveScanner.scan(s3Store("exports/"), "s3", MAR_01, MAR_31, Set.of("src_a"));
    assertEquals(
        keys(ArchiveScanner.scan(localStore(""), "archive", MAR_01, MAR_31, Set.of("src_a"))),
        keys(files));
    ArchiveFile first = files.get(0);
    assertTrue(first.version().matches("etag:[0-9a-f]{32}"), first.version());
    assertEquals(
        "s3://" + S3.bucket() + "/exports/segment-logs/src_a/1709251200000/a.gz", first.location());
  }

  @Test
  void withoutARangeListsEveryDay() {
    assertEquals(
        6, ArchiveScanner.scan(s3Store("exports/"), "s3", null, null, Set.of("src_a")).size());
    assertEquals(
        List.of(
            "segment-logs/src_a/1709164800000/b.gz",
            "segment-logs/src_a/1709251200000/a.gz",
            "segment-logs/src_a/1709251200000/b.gz"),
        keys(ArchiveScanner.scan(localStore(""), "archive", null, MAR_01, Set.of("src_a"))));
  }

  @Test
  void acceptsTheArchiveAtSegmentLogsOrAtOneSourceFolder() {
    List<String> expected =
        keys(ArchiveScanner.scan(localStore(""), "archive", MAR_01, MAR_31, Set.of("src_a")));
    assertEquals(
        expected,
        keys(
            ArchiveScanner.scan(localStore("segment-logs"), "a", MAR_01, MAR_31, Set.of("src_a"))));
    assertEquals(
        expected,
        keys(ArchiveScanner.scan(localStore("segment-logs/src_a"), "a", MAR_01, MAR_31, Set.of())));
    assertEquals(
        expected,
        keys(
            ArchiveScanner.scan(
                s3Store("exports/segment-logs/src_a/"), "a", MAR_01, MAR_31, Set.of())));
  }

  @Test
  void severalSourcesNeedASourceId() {
    CommandLineException e =
        assertThrows(
            CommandLineException.class,
            () ->
                ArchiveScanner.scan(s3Store("exports/"), "s3://b/exports/", null, null, Set.of()));
    assertEquals(
        "the archive holds 2 sources (src_a, src_b): choose one with --source-id; each source goes"
            + " into its own --schema",
        e.getMessage());
    assertEquals(CommandLineException.USAGE, e.exitCode());
    assertEquals(
        List.of("segment-logs/src_b/1709251200000/c.gz"),
        keys(ArchiveScanner.scan(s3Store("exports/"), "s3", null, null, Set.of("src_b"))));
  }

  @Test
  void refusesAnUnknownSourceAndAPlaceWithoutAnArchive() {
    assertEquals(
        "--source-id src_c is not in the archive (it holds src_a, src_b)",
        assertThrows(
                CommandLineException.class,
                () -> ArchiveScanner.scan(localStore(""), "archive", null, null, Set.of("src_c")))
            .getMessage());
    assertEquals(
        "no segment-logs/ in s3://x/other/ (Segment's layout: segment-logs/<source-id>/<day in"
            + " epoch ms>/*.gz)",
        assertThrows(
                CommandLineException.class,
                () ->
                    ArchiveScanner.scan(
                        s3Store("exports/other/"), "s3://x/other/", null, null, Set.of()))
            .getMessage());
  }

  @Test
  void dayFoldersAreEpochMillisecondsOfTheUtcDay() {
    assertEquals("1709251200000", ArchiveScanner.dayName(MAR_01));
    assertEquals(MAR_01, ArchiveScanner.day("1709251200000"));
    assertEquals(LocalDate.of(2015, 5, 27), ArchiveScanner.day("1432684800000"));
    assertEquals(null, ArchiveScanner.day("notes"));
    assertEquals(null, ArchiveScanner.day(""));
  }
}
