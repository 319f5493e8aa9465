package io.segmentredshift.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Helpers shared by the spool tests. */
final class SpoolTesting {
  private SpoolTesting() {}

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Appends and waits for the append to be durable. */
  static void appendNow(Spool spool, String... records) {
    List<byte[]> list = new ArrayList<>();
    for (String record : records) {
      list.add(bytes(record));
    }
    join(spool.append(list));
  }

  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete normally", e);
    }
  }

  /** Waits for a future that must fail with a SpoolException and returns it. */
  static SpoolException failure(CompletableFuture<?> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(SpoolException.class, e.getCause());
  }

  /** Every record of every sealed segment, in append order. */
  static List<byte[]> readAll(Spool spool) {
    List<byte[]> records = new ArrayList<>();
    for (SealedSegment segment : spool.sealed()) {
      long before = records.size();
      segment.forEachRecord(records::add);
      assertEquals(segment.recordCount(), records.size() - before, segment.toString());
    }
    return records;
  }

  static List<String> readAllText(Spool spool) {
    List<String> texts = new ArrayList<>();
    for (byte[] record : readAll(spool)) {
      texts.add(text(record));
    }
    return texts;
  }

  /** The segment files in the directory, in name order. */
  static List<Path> segmentFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
    }
  }

  static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
