package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.event.MalformedEventException;
import io.segmentredshift.testkit.EmbeddedS3Extension;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ArchiveFileReaderTest {
  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  private static final LocalDate DAY = LocalDate.of(2024, 3, 1);

  @TempDir Path dir;

  private final EventParser parser = EventParser.create();
  private final List<List<String>> batches = new ArrayList<>();
  private final List<MalformedEventException> malformed = new ArrayList<>();

  private static ArchiveFixture fixture() {
    return new ArchiveFixture()
        .file(
            "src",
            DAY,
            "part-1.gz",
            ArchiveFixture.track("m1", "2024-03-01T10:00:00Z"),
            "{\"type\":\"track\", \"event\": ",
            "",
            ArchiveFixture.track("m2", "2024-03-01T10:00:01Z"),
            "{\"type\":\"track\",\"event\":\"x\",\"userId\":{\"no\":1},\"messageId\":\"m3\"}",
            ArchiveFixture.track("m4", "2024-03-01T10:00:02Z"));
  }

  private ArchiveFileReader.Counts read(ArchiveStore store) throws Exception {
    ArchiveFile file = ArchiveScanner.scan(store, "x", null, null, Set.of()).get(0);
    return ArchiveFileReader.read(
        store,
        file,
        parser,
        2,
        events -> batches.add(events.stream().map(Event::messageId).toList()),
        malformed::add);
  }

  @Test
  void readsAGzippedFileInBatchesAndReportsMalformedLinesWithTheirNumbers() throws Exception {
    fixture().writeTo(dir);
    ArchiveFileReader.Counts counts = read(new ArchiveStore.Local(dir));
    assertEquals(new ArchiveFileReader.Counts(3, 2), counts);
    // Batches count lines read (events and rejections), so a batch may hold fewer events.
    assertEquals(List.of(List.of("m1"), List.of("m2"), List.of("m4")), batches);
    assertEquals(2, malformed.size());
    assertEquals(2, malformed.get(0).line());
    assertEquals(MalformedEventException.Reason.TRUNCATED, malformed.get(0).reason());
    assertEquals(5, malformed.get(1).line());
    assertEquals(MalformedEventException.Reason.WRONG_FIELD_TYPE, malformed.get(1).reason());
    assertEquals("/userId", malformed.get(1).pointer());
  }

  @Test
  void streamsTheSameFileFromS3() throws Exception {
    fixture().writeTo(S3.client(), S3.bucket(), "reader/");
    ArchiveFileReader.Counts counts =
        read(new ArchiveStore.S3(S3.client(), S3.bucket(), "reader/"));
    assertEquals(new ArchiveFileReader.Counts(3, 2), counts);
    assertEquals(List.of(List.of("m1"), List.of("m2"), List.of("m4")), batches);
  }
}
