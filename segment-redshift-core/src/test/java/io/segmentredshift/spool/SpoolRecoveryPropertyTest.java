package io.segmentredshift.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 6: any truncation or corruption of the last segment's tail recovers to a prefix of the
 * records that were acknowledged, and never to a record that differs from what was appended.
 */
class SpoolRecoveryPropertyTest {

  /** What is done to the last segment file between close and reopen. */
  sealed interface Damage permits Truncate, Flip, Garbage {}

  /** Cut the file to {@code at % (size + 1)} bytes. */
  record Truncate(int at) implements Damage {}

  /** XOR the byte at {@code at % size} with a non-zero mask. */
  record Flip(int at, byte mask) implements Damage {}

  /** Append bytes that were never a record. */
  record Garbage(byte[] bytes) implements Damage {}

  @Property(tries = 250)
  void damageToTheLastSegmentRecoversExactlyAPrefixOfTheAcknowledgedRecords(
      @ForAll("appends") List<List<byte[]>> appends,
      @ForAll("segmentSizes") long maxSegmentBytes,
      @ForAll("damage") Damage damage)
      throws IOException {
    Path dir = Files.createTempDirectory("spool-property");
    try {
      SpoolConfig config = SpoolConfig.defaults().withMaxSegmentBytes(maxSegmentBytes);
      List<byte[]> acknowledged = new ArrayList<>();
      Spool spool = Spool.open(dir, config);
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (List<byte[]> append : appends) {
        futures.add(spool.append(append));
      }
      for (int i = 0; i < futures.size(); i++) {
        SpoolTesting.join(futures.get(i));
        acknowledged.addAll(appends.get(i));
      }
      spool.close();
      List<SealedSegment> sealed = spool.sealed();
      long lastSegmentRecords = sealed.get(sealed.size() - 1).recordCount();

      List<Path> files = SpoolTesting.segmentFiles(dir);
      Path last = files.get(files.size() - 1);
      int firstInLast = acknowledged.size() - (int) lastSegmentRecords;
      int survivorsInLast =
          damage(last, acknowledged.subList(firstInLast, acknowledged.size()), damage);

      List<byte[]> recovered;
      try (Spool reopened = Spool.open(dir, config)) {
        recovered = SpoolTesting.readAll(reopened);
      }
      assertEquals(firstInLast + survivorsInLast, recovered.size(), "records recovered");
      for (int i = 0; i < recovered.size(); i++) {
        assertArrayEquals(acknowledged.get(i), recovered.get(i), "record " + i);
      }
    } finally {
      SpoolTesting.deleteRecursively(dir);
    }
  }

  /** Applies the damage; returns how many records of the last segment must survive it. */
  private static int damage(Path file, List<byte[]> records, Damage damage) throws IOException {
    long size = Files.size(file);
    if (damage instanceof Garbage garbage) {
      Files.write(file, garbage.bytes(), StandardOpenOption.APPEND);
      return records.size();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      long intactBefore;
      if (damage instanceof Truncate truncate) {
        long at = Integer.toUnsignedLong(truncate.at()) % (size + 1);
        raf.setLength(at);
        intactBefore = at;
      } else {
        Flip flip = (Flip) damage;
        long at = Integer.toUnsignedLong(flip.at()) % size;
        raf.seek(at);
        int b = raf.read();
        raf.seek(at);
        raf.write(b ^ flip.mask());
        // The damaged byte lies in the record that covers it; that record must be cut.
        intactBefore = at;
      }
      int survivors = 0;
      long end = 0;
      for (byte[] record : records) {
        end += SegmentFormat.framedSize(record.length);
        if (end > intactBefore) {
          break;
        }
        survivors++;
      }
      return survivors;
    }
  }

  @Provide
  Arbitrary<List<List<byte[]>>> appends() {
    Arbitrary<byte[]> record = Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
    return record.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(25);
  }

  @Provide
  Arbitrary<Long> segmentSizes() {
    return Arbitraries.of(64L, 300L, 64L << 20);
  }

  @Provide
  Arbitrary<Damage> damage() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<Byte> mask = Arbitraries.bytes().filter(b -> b != 0);
    return Arbitraries.oneOf(
        at.map(Truncate::new),
        Combinators.combine(at, mask).as(Flip::new),
        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64).map(Garbage::new));
  }
}
