package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsWriterTest {
  private static final Machine MACHINE =
      new Machine(2, 24L << 30, "Test CPU", "OpenJDK 17", "Debian 12", "17.7");
  private static final Report REPORT =
      new Report(
          "Ingest",
          Instant.parse("2026-11-25T10:15:30Z"),
          MACHINE,
          List.of(
              new ResultRow("ingest, 64 connections", "noop", "req/s", 100_836, 100_836),
              new ResultRow("ingest, 64 connections", "group | commit", "req/s", 59_521.4, 100_836),
              new ResultRow("ingest, 64 connections", "group | commit", "p99 ms", 2.44, 4.03),
              ResultRow.alone("memory", "server", "peak heap MiB", 181.26)),
          List.of("Where the time goes: fsync."));

  @Test
  void writesATableWithTheMachineAndDateOnTop() throws Exception {
    String md = ResultsWriter.markdown(REPORT, "ingest.png");
    assertEquals(
        String.join(
            "\n",
            "# Ingest",
            "",
            "Run 2026-11-25 10:15 UTC on 2 cores, 24.0 GiB memory, Test CPU; OpenJDK 17; Debian 12;"
                + " PostgreSQL 17.7.",
            "",
            "| benchmark | variant | metric | value | baseline | ratio |",
            "|---|---|---|---:|---:|---:|",
            "| ingest, 64 connections | noop | req/s | 100,836 | 100,836 | 1.00 |",
            "| ingest, 64 connections | group \\| commit | req/s | 59,521 | 100,836 | 0.59 |",
            "| ingest, 64 connections | group \\| commit | p99 ms | 2.44 | 4.03 | 0.61 |",
            "| memory | server | peak heap MiB | 181 | – | – |",
            "",
            "![Each figure as a ratio to its baseline](ingest.png)",
            "",
            "Where the time goes: fsync.",
            ""),
        md);
  }

  @Test
  void formatsFiguresForPeople() {
    assertEquals("1,234,568", ResultsWriter.number(1_234_567.8));
    assertEquals("512", ResultsWriter.number(511.5));
    assertEquals("12.3", ResultsWriter.number(12.34));
    assertEquals("2.44", ResultsWriter.number(2.444));
    assertEquals("0.123", ResultsWriter.number(0.1234));
    assertEquals("0", ResultsWriter.number(0));
    assertEquals("–", ResultsWriter.number(Double.NaN));
    assertEquals("0.59", ResultsWriter.ratio(0.5903));
    assertEquals("0.016", ResultsWriter.ratio(0.0157));
    assertEquals("44.73", ResultsWriter.ratio(44.7312));
  }

  @Test
  void stepsThroughTheOneTwoFiveSequence() {
    assertEquals(0.2, ResultsWriter.nextTick(0.1), 1e-12);
    assertEquals(0.5, ResultsWriter.nextTick(0.2), 1e-12);
    assertEquals(1.0, ResultsWriter.nextTick(0.5), 1e-12);
    assertEquals(100.0, ResultsWriter.nextTick(50), 1e-9);
    assertEquals(0.01, ResultsWriter.tickBelow(0.017), 1e-12);
    assertEquals(0.02, ResultsWriter.tickBelow(0.02), 1e-12);
    assertEquals(5.0, ResultsWriter.tickAbove(2.3), 1e-12);
    assertEquals(2.0, ResultsWriter.tickAbove(2.0), 1e-12);
  }

  @Test
  void writesTheMarkdownAndAPngChartOfTheRatios(@TempDir Path dir) throws Exception {
    ResultsWriter.Written written = ResultsWriter.write(dir.resolve("results"), "ingest", REPORT);

    assertEquals(dir.resolve("results/ingest.md"), written.markdown());
    assertEquals(
        ResultsWriter.markdown(REPORT, "ingest.png"), Files.readString(written.markdown()));
    BufferedImage png = ImageIO.read(written.chart().toFile());
    assertEquals(1240, png.getWidth());
    assertTrue(png.getHeight() > 3 * 26, "room for three bars: " + png.getHeight());
    assertTrue(containsColor(png, 0x1f77b4), "a req/s bar in the first colour");
    assertTrue(containsColor(png, 0xff7f0e), "a p99 bar in the second colour");
  }

  @Test
  void rejectsANameThatIsNotAPlainFileName(@TempDir Path dir) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ResultsWriter.write(dir, "../x", REPORT));
    assertEquals("name is not [A-Za-z0-9_-]+: ../x", e.getMessage());
  }

  private static boolean containsColor(BufferedImage image, int rgb) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          return true;
        }
      }
    }
    return false;
  }
}
