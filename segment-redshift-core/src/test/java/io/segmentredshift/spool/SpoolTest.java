package io.segmentredshift.spool;

import static io.segmentredshift.spool.SpoolTesting.appendNow;
import static io.segmentredshift.spool.SpoolTesting.bytes;
import static io.segmentredshift.spool.SpoolTesting.failure;
import static io.segmentredshift.spool.SpoolTesting.join;
import static io.segmentredshift.spool.SpoolTesting.readAllText;
import static io.segmentredshift.spool.SpoolTesting.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  /** 40-byte payloads take 48 bytes on disk. */
  private static final String FORTY = "0123456789012345678901234567890123456789";

  @TempDir Path dir;

  @Test
  void reopeningReplaysExactlyTheAcknowledgedRecordsInAppendOrder() {
    try (Spool spool = Spool.open(dir)) {
      appendNow(spool, "a1");
      appendNow(spool, "b1", "b2", "b3");
      appendNow(spool, "");
      appendNow(spool, "d1");
      assertEquals(6, spool.stats().backlogRecords());
    }
    try (Spool reopened = Spool.open(dir)) {
      assertEquals(List.of("a1", "b1", "b2", "b3", "", "d1"), readAllText(reopened));
      SpoolStats stats = reopened.stats();
      assertEquals(6, stats.backlogRecords());
      assertEquals(6 * 8 + 2 * 5, stats.backlogBytes());
      assertEquals(1, stats.sealedSegments());
      assertEquals(0, stats.appends());
    }
  }

  @Test
  void sixtyFourConcurrentAppendersAllCompleteAndEveryRecordIsReadBackOnce() throws Exception {
    int threads = 64;
    int appendsPerThread = 50;
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Map<String, Integer> expected = new HashMap<>();
    try (Spool spool = Spool.open(dir, SpoolConfig.defaults().withMaxSegmentBytes(16 << 10))) {
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Thread writer =
            new Thread(
                () -> {
                  try {
                    start.await();
                    for (int i = 0; i < appendsPerThread; i++) {
                      List<byte[]> records = new ArrayList<>();
                      for (int r = 0; r <= i % 3; r++) {
                        records.add(bytes(thread + ":" + i + ":" + r));
                      }
                      join(spool.append(records));
                    }
                  } catch (Throwable e) {
                    errors.add(e);
                  }
                });
        writers.add(writer);
        writer.start();
        for (int i = 0; i < appendsPerThread; i++) {
          for (int r = 0; r <= i % 3; r++) {
            expected.put(thread + ":" + i + ":" + r, 1);
          }
        }
      }
      start.countDown();
      for (Thread writer : writers) {
        writer.join(TimeUnit.SECONDS.toMillis(60));
      }
      assertTrue(errors.isEmpty(), () -> "appends failed: " + errors);
      join(spool.sealActive());

      List<String> records = readAllText(spool);
      Map<String, Integer> seen = new HashMap<>();
      for (String record : records) {
        seen.merge(record, 1, Integer::sum);
      }
      assertEquals(expected, seen);
      // Each thread waited for every append, so its records must appear in its own order.
      Map<Integer, String> lastOfThread = new HashMap<>();
      for (String record : records) {
        int thread = Integer.parseInt(record.substring(0, record.indexOf(':')));
        String previous = lastOfThread.put(thread, record);
        if (previous != null) {
          assertTrue(order(previous) < order(record), previous + " before " + record);
        }
      }
      SpoolStats stats = spool.stats();
      assertEquals(threads * appendsPerThread, stats.appends());
      assertEquals(expected.size(), stats.appendedRecords());
      assertTrue(stats.sealedSegments() > 1, "16 KiB segments must have rolled: " + stats);
      assertTrue(
          stats.fsyncs() < stats.appends(), "64 writers must share fsyncs: " + stats.toString());
    }
  }

  private static int order(String record) {
    String[] parts = record.split(":");
    return Integer.parseInt(parts[1]) * 10 + Integer.parseInt(parts[2]);
  }

  @Test
  void sealsTheActiveSegmentBeforeAnAppendWouldExceedMaxSegmentBytes() {
    try (Spool spool = Spool.open(dir, SpoolConfig.defaults().withMaxSegmentBytes(100))) {
      appendNow(spool, FORTY);
      appendNow(spool, FORTY);
      assertEquals(List.of(), spool.sealed());
      appendNow(spool, FORTY);
      assertEquals(1, spool.sealed().size());
      assertEquals(2, spool.sealed().get(0).recordCount());
      assertEquals(96, spool.sealed().get(0).sizeBytes());
      // An append larger than a whole segment gets a segment of its own.
      appendNow(spool, FORTY, FORTY, FORTY);
      appendNow(spool, "x");
      join(spool.sealActive());

      List<SealedSegment> sealed = spool.sealed();
      assertEquals(List.of(2L, 1L, 3L, 1L), sealed.stream().map(s -> s.recordCount()).toList());
      assertEquals(List.of(96L, 48L, 144L, 9L), sealed.stream().map(s -> s.sizeBytes()).toList());
      for (int i = 1; i < sealed.size(); i++) {
        assertTrue(sealed.get(i - 1).id() < sealed.get(i).id(), "ids increase: " + sealed);
      }
    }
  }

  @Test
  void sealsTheActiveSegmentOnceItsFirstRecordIsMaxSegmentAgeOld() throws Exception {
    Duration age = Duration.ofMillis(300);
    try (Spool spool = Spool.open(dir, SpoolConfig.defaults().withMaxSegmentAge(age))) {
      long before = System.nanoTime();
      appendNow(spool, "old");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (spool.sealed().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long waited = System.nanoTime() - before;
      assertEquals(1, spool.sealed().size(), "not sealed within 10 s");
      assertTrue(waited >= age.toNanos(), "sealed after " + waited + " ns, before the age");
      assertEquals(List.of("old"), readAllText(spool));
    }
  }

  @Test
  void sealActivePicksUpTheTailAndDoesNothingWhenTheActiveSegmentIsEmpty() {
    try (Spool spool = Spool.open(dir)) {
      join(spool.sealActive());
      assertEquals(List.of(), spool.sealed());
      appendNow(spool, "tail");
      assertEquals(List.of(), spool.sealed(), "10 s default age and 64 MiB: not sealed yet");
      join(spool.sealActive());
      assertEquals(List.of("tail"), readAllText(spool));
      join(spool.sealActive());
      assertEquals(1, spool.sealed().size());
    }
  }

  @Test
  void releaseDeletesTheSegmentFileAndShrinksTheBacklog() throws Exception {
    try (Spool spool = Spool.open(dir)) {
      appendNow(spool, "one", "two");
      join(spool.sealActive());
      appendNow(spool, "three");
      join(spool.sealActive());
      List<SealedSegment> sealed = spool.sealed();
      assertEquals(2, sealed.size());
      SealedSegment first = sealed.get(0);
      assertTrue(Files.exists(first.path()));

      spool.release(first);
      assertFalse(Files.exists(first.path()));
      assertTrue(first.released());
      assertEquals(List.of(sealed.get(1)), spool.sealed());
      assertEquals(new SpoolStats(8 + 5, 1, 1, 2, 3, 2, 0), spool.stats());
      spool.release(first);
      assertEquals(1, spool.stats().sealedSegments(), "releasing twice does nothing");
      assertEquals(
          SpoolException.Reason.IO_ERROR,
          assertThrows(SpoolException.class, first::reader).reason());
    }
    try (Spool reopened = Spool.open(dir)) {
      assertEquals(List.of("three"), readAllText(reopened));
    }
  }

  @Test
  void releaseRefusesASegmentOfAnotherSpool(@TempDir Path other) {
    try (Spool spool = Spool.open(dir);
        Spool second = Spool.open(other)) {
      appendNow(second, "x");
      join(second.sealActive());
      SealedSegment foreign = second.sealed().get(0);
      assertThrows(IllegalArgumentException.class, () -> spool.release(foreign));
      assertTrue(Files.exists(foreign.path()));
    }
  }

  @Test
  void aFullSpoolRefusesWithSpoolFullAndAcceptsAgainAfterRelease() {
    SpoolConfig config =
        SpoolConfig.defaults().withMaxTotalBytes(3 * 48).withRetryAfter(Duration.ofSeconds(7));
    try (Spool spool = Spool.open(dir, config)) {
      appendNow(spool, FORTY, FORTY);
      appendNow(spool, FORTY);

      SpoolException full = failure(spool.append(List.of(bytes("x"))));
      assertEquals(SpoolException.Reason.SPOOL_FULL, full.reason());
      assertEquals(Optional.of(Duration.ofSeconds(7)), full.retryAfter());
      assertEquals(1, spool.stats().refusedFull());
      assertEquals(3, spool.stats().backlogRecords(), "the refused append wrote nothing");

      join(spool.sealActive());
      spool.release(spool.sealed().get(0));
      appendNow(spool, FORTY, FORTY, FORTY);
      assertEquals(
          SpoolException.Reason.SPOOL_FULL, failure(spool.append(List.of(bytes("")))).reason());
    }
  }

  @Test
  void refusedAppendsDoNotLeakTheirReservation() {
    try (Spool spool =
        Spool.open(dir, SpoolConfig.defaults().withMaxTotalBytes(48).withMaxRecordBytes(40))) {
      SpoolException tooLarge = failure(spool.append(List.of(bytes(FORTY + "!"))));
      assertEquals(SpoolException.Reason.RECORD_TOO_LARGE, tooLarge.reason());
      assertEquals(Optional.empty(), tooLarge.retryAfter());
      for (int i = 0; i < 3; i++) {
        assertEquals(
            SpoolException.Reason.SPOOL_FULL,
            failure(spool.append(List.of(bytes(FORTY), bytes("")))).reason());
      }
      appendNow(spool, FORTY);
    }
  }

  @Test
  void appendsAfterCloseAreRefusedWithClosed() {
    Spool spool = Spool.open(dir);
    appendNow(spool, "kept");
    spool.close();
    SpoolException closed = failure(spool.append(List.of(bytes("late"))));
    assertEquals(SpoolException.Reason.CLOSED, closed.reason());
    assertTrue(closed.retryAfter().isPresent());
    join(spool.sealActive());
    spool.close();
    assertEquals(List.of("kept"), readAllText(spool), "close sealed the active segment");
  }

  @Test
  void closeCompletesEveryAppendQueuedBeforeIt() {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    Spool spool = Spool.open(dir);
    for (int i = 0; i < 2000; i++) {
      futures.add(spool.append(List.of(bytes("r" + i))));
    }
    spool.close();
    for (CompletableFuture<Void> future : futures) {
      assertTrue(future.isDone() && !future.isCompletedExceptionally());
    }
    try (Spool reopened = Spool.open(dir)) {
      List<String> records = readAllText(reopened);
      assertEquals(2000, records.size());
      assertEquals("r0", records.get(0));
      assertEquals("r1999", records.get(1999));
    }
  }

  @Test
  void appendsRacingWithCloseEitherCompleteDurablyOrFailWithClosed() throws Exception {
    int threads = 4;
    List<List<CompletableFuture<Void>>> futures = new ArrayList<>();
    Spool spool = Spool.open(dir);
    CountDownLatch running = new CountDownLatch(threads);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      List<CompletableFuture<Void>> mine = new ArrayList<>();
      futures.add(mine);
      Thread writer =
          new Thread(
              () -> {
                // Append without waiting until close refuses one at once.
                for (int i = 0; i < 1_000_000; i++) {
                  CompletableFuture<Void> future = spool.append(List.of(bytes(thread + ":" + i)));
                  mine.add(future);
                  if (i == 100) {
                    running.countDown();
                  }
                  if (future.isCompletedExceptionally()) {
                    break;
                  }
                }
              });
      writers.add(writer);
      writer.start();
    }
    running.await();
    spool.close();
    for (Thread writer : writers) {
      writer.join();
    }
    Set<String> acknowledged = new HashSet<>();
    int refused = 0;
    for (int t = 0; t < threads; t++) {
      List<CompletableFuture<Void>> mine = futures.get(t);
      for (int i = 0; i < mine.size(); i++) {
        CompletableFuture<Void> future = mine.get(i);
        assertTrue(future.isDone(), "every future completes, even one queued after close");
        if (future.isCompletedExceptionally()) {
          assertEquals(SpoolException.Reason.CLOSED, failure(future).reason());
          refused++;
        } else {
          acknowledged.add(t + ":" + i);
        }
      }
    }
    assertTrue(refused >= threads, "each writer ends on a refusal: " + refused);
    try (Spool reopened = Spool.open(dir)) {
      List<String> onDisk = readAllText(reopened);
      assertEquals(acknowledged, new HashSet<>(onDisk));
      assertEquals(acknowledged.size(), onDisk.size());
    }
  }

  @Test
  void aSecondSpoolOnTheSameDirectoryIsRefusedUntilTheFirstCloses() {
    try (Spool spool = Spool.open(dir)) {
      SpoolException locked = assertThrows(SpoolException.class, () -> Spool.open(dir));
      assertEquals(SpoolException.Reason.DIRECTORY_LOCKED, locked.reason());
      appendNow(spool, "still fine");
    }
    try (Spool reopened = Spool.open(dir)) {
      assertEquals(List.of("still fine"), readAllText(reopened));
    }
  }

  @Test
  void theWriterIsOneNamedDaemonThreadThatStopsOnClose() {
    // Other test classes in this JVM may still run spools of their own: look at the new thread.
    List<Thread> before = liveThreads(Spool.WRITER_THREAD_NAME);
    Spool spool = Spool.open(dir);
    List<Thread> threads = new ArrayList<>(liveThreads(Spool.WRITER_THREAD_NAME));
    threads.removeAll(before);
    assertEquals(1, threads.size());
    assertTrue(threads.get(0).isDaemon());
    spool.close();
    assertFalse(threads.get(0).isAlive());
  }

  @Test
  void acknowledgementsCompleteInAppendOrderOnTheWriterOrTheCaller() {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    try (Spool spool = Spool.open(dir)) {
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        String name = "r" + i;
        futures.add(
            spool
                .append(List.of(bytes(name)))
                .thenRun(
                    () -> {
                      order.add(name);
                      threads.add(Thread.currentThread().getName());
                    }));
      }
      futures.forEach(SpoolTesting::join);
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      expected.add("r" + i);
    }
    assertEquals(expected, order);
    // A callback attached after its future completed runs on the caller, as CompletableFuture
    // does; every other one runs on the writer. No third thread is involved.
    Set<String> allowed = Set.of(Spool.WRITER_THREAD_NAME, Thread.currentThread().getName());
    assertTrue(allowed.containsAll(new HashSet<>(threads)), threads::toString);
  }

  @Test
  void closeCalledFromAnAcknowledgementDoesNotDeadlock() {
    List<Thread> before = liveThreads(Spool.WRITER_THREAD_NAME);
    Spool spool = Spool.open(dir);
    join(spool.append(List.of(bytes("x"))).thenRun(spool::close));
    assertEquals(SpoolException.Reason.CLOSED, failure(spool.append(List.of(bytes("y")))).reason());
    spool.close();
    assertEquals(before, liveThreads(Spool.WRITER_THREAD_NAME));
  }

  private static List<Thread> liveThreads(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .toList();
  }

  @Test
  void withoutFsyncNothingIsForcedButRecordsStillReachTheFile() throws Exception {
    try (Spool spool = Spool.open(dir, SpoolConfig.defaults().withFsync(false))) {
      appendNow(spool, "a");
      appendNow(spool, "b");
      assertEquals(0, spool.stats().fsyncs());
      assertEquals(2, spool.stats().appends());
      assertEquals(18, Files.size(segmentFiles(dir).get(0)));
    }
  }

  @Test
  void emptyAppendsCompleteAtOnceAndNullRecordsAreRejected() {
    try (Spool spool = Spool.open(dir)) {
      assertTrue(spool.append(List.of()).isDone());
      List<byte[]> withNull = new ArrayList<>();
      withNull.add(bytes("a"));
      withNull.add(null);
      NullPointerException e =
          assertThrows(NullPointerException.class, () -> spool.append(withNull));
      assertEquals("records[1] == null", e.getMessage());
      assertEquals(0, spool.stats().appends());
    }
  }

  @Test
  void configRejectsImpossibleLimitsWithTheHouseMessageShape() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SpoolConfig.defaults().withMaxSegmentBytes(0));
    assertEquals("maxSegmentBytes <= 0: 0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SpoolConfig.defaults().withMaxSegmentAge(Duration.ZERO));
    assertEquals("maxSegmentAge <= 0: PT0S", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SpoolConfig.defaults().withMaxRecordBytes((64 << 20) + 1));
    assertEquals("maxRecordBytes > 67108864: 67108865", e.getMessage());
  }
}
