package io.segmentredshift.spool;

import static io.segmentredshift.spool.SpoolTesting.appendNow;
import static io.segmentredshift.spool.SpoolTesting.join;
import static io.segmentredshift.spool.SpoolTesting.readAllText;
import static io.segmentredshift.spool.SpoolTesting.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolRecoveryTest {
  @TempDir Path dir;

  /** Three records of 5 payload bytes: 13 bytes each on disk, 39 in all. */
  private Path threeRecords() throws IOException {
    try (Spool spool = Spool.open(dir)) {
      appendNow(spool, "rec-1");
      appendNow(spool, "rec-2", "rec-3");
    }
    List<Path> files = segmentFiles(dir);
    assertEquals(1, files.size());
    assertEquals(39, Files.size(files.get(0)));
    return files.get(0);
  }

  @Test
  void theSegmentFormatIsBigEndianLengthThenCrc32cOfLengthAndPayload() throws IOException {
    Path file = threeRecords();
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
    assertEquals(5, bytes.getInt(0));
    CRC32C crc = new CRC32C();
    crc.update(new byte[] {0, 0, 0, 5});
    crc.update(SpoolTesting.bytes("rec-1"));
    assertEquals((int) crc.getValue(), bytes.getInt(4));
    assertEquals("rec-1", new String(bytes.array(), 8, 5, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("00000000000000000001.seg", file.getFileName().toString());
  }

  @Test
  void cutsGarbageAfterTheLastRecord() throws IOException {
    Path file = threeRecords();
    byte[] garbage = new byte[100];
    new Random(42).nextBytes(garbage);
    Files.write(file, garbage, StandardOpenOption.APPEND);
    assertReopensWith(List.of("rec-1", "rec-2", "rec-3"));
    assertEquals(39, Files.size(file), "the tail is cut from the file");
  }

  @Test
  void cutsAZeroFilledTail() throws IOException {
    Path file = threeRecords();
    Files.write(file, new byte[4096], StandardOpenOption.APPEND);
    assertReopensWith(List.of("rec-1", "rec-2", "rec-3"));
    assertEquals(39, Files.size(file));
  }

  @Test
  void cutsARecordTruncatedInsideItsPayload() throws IOException {
    Path file = threeRecords();
    truncate(file, 39 - 2);
    assertReopensWith(List.of("rec-1", "rec-2"));
    assertEquals(26, Files.size(file));
  }

  @Test
  void cutsARecordTruncatedInsideItsHeader() throws IOException {
    Path file = threeRecords();
    truncate(file, 26 + 3);
    assertReopensWith(List.of("rec-1", "rec-2"));
    assertEquals(26, Files.size(file));
  }

  @Test
  void cutsTheRecordWithAFlippedByteAndEverythingAfterIt() throws IOException {
    Path file = threeRecords();
    flip(file, 13 + 8 + 2);
    assertReopensWith(List.of("rec-1"));
    assertEquals(13, Files.size(file));
  }

  @Test
  void cutsARecordWhoseChecksumIsDamaged() throws IOException {
    Path file = threeRecords();
    flip(file, 26 + 5);
    assertReopensWith(List.of("rec-1", "rec-2"));
  }

  @Test
  void cutsAnAbsurdLength() throws IOException {
    Path file = threeRecords();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(13);
      raf.writeInt(Integer.MAX_VALUE);
    }
    assertReopensWith(List.of("rec-1"));
    assertEquals(13, Files.size(file));
  }

  @Test
  void deletesASegmentWithNoGoodRecordAndKeepsNumberingAfterIt() throws IOException {
    Path file = threeRecords();
    flip(file, 0);
    try (Spool spool = Spool.open(dir)) {
      assertEquals(List.of(), spool.sealed());
      assertFalse(Files.exists(file));
      appendNow(spool, "fresh");
      join(spool.sealActive());
      assertEquals(List.of("fresh"), readAllText(spool));
      assertEquals(2, spool.sealed().get(0).id(), "ids continue after the deleted segment");
    }
  }

  @Test
  void keepsTheGoodPrefixOfADamagedSegmentThatIsNotTheLast() throws IOException {
    try (Spool spool = Spool.open(dir)) {
      appendNow(spool, "a-1", "a-2", "a-3");
      join(spool.sealActive());
      appendNow(spool, "b-1", "b-2");
    }
    List<Path> files = segmentFiles(dir);
    assertEquals(2, files.size());
    flip(files.get(0), 11 + 9);
    try (Spool spool = Spool.open(dir)) {
      assertEquals(List.of("a-1", "b-1", "b-2"), readAllText(spool));
      assertEquals(List.of(1L, 2L), spool.sealed().stream().map(s -> s.recordCount()).toList());
    }
    assertEquals(11, Files.size(files.get(0)));
  }

  @Test
  void newAppendsGoToANewSegmentAfterTheRecoveredOnes() throws IOException {
    threeRecords();
    try (Spool spool = Spool.open(dir)) {
      appendNow(spool, "rec-4");
    }
    try (Spool spool = Spool.open(dir)) {
      assertEquals(List.of("rec-1", "rec-2", "rec-3", "rec-4"), readAllText(spool));
      assertEquals(List.of(1L, 2L), spool.sealed().stream().map(s -> s.id()).toList());
    }
  }

  @Test
  void aReaderStopsAtDamageDoneToASealedSegmentAfterItWasSealed() throws IOException {
    try (Spool spool = Spool.open(dir)) {
      appendNow(spool, "rec-1", "rec-2", "rec-3");
      join(spool.sealActive());
      SealedSegment segment = spool.sealed().get(0);
      flip(segment.path(), 13 + 10);
      List<String> read = new java.util.ArrayList<>();
      try (RecordReader reader = segment.reader()) {
        reader.forEachRemaining(r -> read.add(SpoolTesting.text(r)));
        assertFalse(reader.hasNext());
      }
      assertEquals(List.of("rec-1"), read);
    }
  }

  @Test
  void recordsLargerThanTheWriteAndReadBuffersRoundTrip() {
    byte[] big = new byte[(5 << 20) / 2];
    new Random(7).nextBytes(big);
    SpoolConfig config = SpoolConfig.defaults().withMaxRecordBytes(3 << 20);
    try (Spool spool = Spool.open(dir, config)) {
      join(spool.append(List.of(big, SpoolTesting.bytes("after"))));
      join(spool.sealActive());
    }
    try (Spool spool = Spool.open(dir, config)) {
      List<byte[]> records = SpoolTesting.readAll(spool);
      assertEquals(2, records.size());
      assertTrue(java.util.Arrays.equals(big, records.get(0)));
      assertEquals("after", SpoolTesting.text(records.get(1)));
    }
  }

  private void assertReopensWith(List<String> expected) {
    try (Spool spool = Spool.open(dir)) {
      assertEquals(expected, readAllText(spool));
      assertEquals(expected.size(), spool.stats().backlogRecords());
    }
  }

  private static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
  }

  static void flip(Path file, long position) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int b = raf.read();
      raf.seek(position);
      raf.write(b ^ 0x01);
    }
  }
}
