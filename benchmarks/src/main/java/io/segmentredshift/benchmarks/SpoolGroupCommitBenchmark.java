package io.segmentredshift.benchmarks;

import io.segmentredshift.spool.SealedSegment;
import io.segmentredshift.spool.Spool;
import io.segmentredshift.spool.SpoolConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Issue 6, point 1: durable appends per second through the spool's group commit against a naive
 * "write + force per append" loop, with 1, 8 and 64 concurrent writers of 700-byte records, all in
 * one run. Each writer is a closed loop, like an HTTP connection waiting for its 2xx: append one
 * record, wait until it is durable, repeat. Three variants per writer count: the naive loop on a
 * plain {@link FileChannel} (one platform thread per writer, each doing {@code write} + {@code
 * force(false)}); the spool with one platform thread per writer blocking in {@code join()}; and the
 * spool with the same number of appends in flight but no thread per writer (each acknowledgement
 * issues the next append), which is how an HTTP server on a few event loops uses it. Prints a
 * Markdown table and the 10× check against the naive loop with as many writers and against
 * one writer.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am compile exec:java -Dexec.skip=true \
 *     -Dexec.mainClass=io.segmentredshift.benchmarks.SpoolGroupCommitBenchmark
 * </pre>
 *
 * ({@code -Dexec.skip=true} skips the goal in the modules {@code -am} adds; the benchmarks pom
 * turns it back on for itself.) System properties: {@code -Dbench.dir=...} the directory for the
 * files (default {@code benchmarks/target/spool-benchmark}; it must be on the disk you want to
 * measure, not a tmpfs), {@code -Dbench.seconds=6} measured seconds per cell, {@code
 * -Dbench.warmupSeconds=2}, {@code -Dbench.writers=1,8,64}.
 */
public final class SpoolGroupCommitBenchmark {
  private static final int RECORD_BYTES = 700;

  private SpoolGroupCommitBenchmark() {}

  /** Runs every cell and prints the table. */
  public static void main(String[] args) throws Exception {
    Path root =
        Path.of(System.getProperty("bench.dir", "benchmarks/target/spool-benchmark"))
            .toAbsolutePath();
    long seconds = Long.getLong("bench.seconds", 6);
    long warmupSeconds = Long.getLong("bench.warmupSeconds", 2);
    int[] writerCounts =
        Stream.of(System.getProperty("bench.writers", "1,8,64").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim()))
            .toArray();
    Files.createDirectories(root);
    byte[] record = new byte[RECORD_BYTES];
    new Random(1).nextBytes(record);

    System.out.printf(
        Locale.ROOT,
        "Spool group commit vs. fsync per append: %d-byte records, %d s measured after %d s"
            + " warm-up per cell, directory %s (%s), %d CPUs, Java %s%n%n",
        RECORD_BYTES,
        seconds,
        warmupSeconds,
        root,
        Files.getFileStore(root).type(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));

    List<String> rows = new ArrayList<>();
    Result serial = null;
    Result naiveAt64 = null;
    Result threadsAt64 = null;
    Result asyncAt64 = null;
    for (int writers : writerCounts) {
      Result naive =
          naive(root.resolve("naive-" + writers), writers, record, warmupSeconds, seconds);
      Result spool =
          spool(root.resolve("spool-" + writers), writers, record, warmupSeconds, seconds, false);
      Result async =
          spool(root.resolve("async-" + writers), writers, record, warmupSeconds, seconds, true);
      rows.add(naive.row("fsync per append, threads", writers, naive.appendsPerSecond));
      rows.add(spool.row("spool, threads", writers, naive.appendsPerSecond));
      rows.add(async.row("spool, async in flight", writers, naive.appendsPerSecond));
      if (writers == 1) {
        serial = naive;
      }
      if (writers == 64) {
        naiveAt64 = naive;
        threadsAt64 = spool;
        asyncAt64 = async;
      }
    }
    System.out.println(
        "| variant | writers | appends/s | fsyncs/s | appends per fsync | × fsync per append"
            + " (same writers) | p50 µs | p99 µs |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
    if (naiveAt64 != null) {
      System.out.printf(
          Locale.ROOT,
          "%nIssue 6 point 1, 64 writers, goal >= 10 x fsync per append from as many threads:"
              + " spool with threads %.1f x (%s), spool with appends in flight %.1f x (%s)%n",
          threadsAt64.appendsPerSecond / naiveAt64.appendsPerSecond,
          verdict(threadsAt64, naiveAt64),
          asyncAt64.appendsPerSecond / naiveAt64.appendsPerSecond,
          verdict(asyncAt64, naiveAt64));
    }
    if (naiveAt64 != null && serial != null) {
      System.out.printf(
          Locale.ROOT,
          "Against one writer doing fsync per append (%,.0f/s): spool with threads %.1f x (%s),"
              + " spool with appends in flight %.1f x (%s)%n",
          serial.appendsPerSecond,
          threadsAt64.appendsPerSecond / serial.appendsPerSecond,
          verdict(threadsAt64, serial),
          asyncAt64.appendsPerSecond / serial.appendsPerSecond,
          verdict(asyncAt64, serial));
    }
  }

  private static String verdict(Result result, Result baseline) {
    return result.appendsPerSecond >= 10 * baseline.appendsPerSecond ? "met" : "NOT met";
  }

  /** One cell's figures over the measured interval. */
  private record Result(
      double appendsPerSecond, double fsyncsPerSecond, long p50Nanos, long p99Nanos) {
    String row(String variant, int writers, double baseline) {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %,.0f | %,.0f | %.1f | %.1f | %,d | %,d |",
          variant,
          writers,
          appendsPerSecond,
          fsyncsPerSecond,
          fsyncsPerSecond == 0 ? 0 : appendsPerSecond / fsyncsPerSecond,
          appendsPerSecond / baseline,
          p50Nanos / 1000,
          p99Nanos / 1000);
    }
  }

  /** The same work with a writer's own {@code write} + {@code force(false)} per append. */
  private static Result naive(Path dir, int writers, byte[] record, long warmup, long seconds)
      throws Exception {
    Files.createDirectories(dir);
    try (FileChannel channel =
        FileChannel.open(
            dir.resolve("naive.log"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      AtomicLong forces = new AtomicLong();
      return run(
          writers,
          warmup,
          seconds,
          forces::get,
          () -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(8 + record.length);
            CRC32C crc = new CRC32C();
            return () -> {
              crc.reset();
              crc.update(record);
              buffer.clear();
              buffer.putInt(record.length).putInt((int) crc.getValue()).put(record).flip();
              while (buffer.hasRemaining()) {
                channel.write(buffer);
              }
              channel.force(false);
              forces.incrementAndGet();
            };
          });
    } finally {
      deleteRecursively(dir);
    }
  }

  /** Durable appends through the spool; a helper thread releases sealed segments like a flusher. */
  private static Result spool(
      Path dir, int writers, byte[] record, long warmup, long seconds, boolean async)
      throws Exception {
    AtomicBoolean releasing = new AtomicBoolean(true);
    try (Spool spool = Spool.open(dir, SpoolConfig.defaults())) {
      Thread releaser =
          new Thread(
              () -> {
                while (releasing.get()) {
                  for (SealedSegment segment : spool.sealed()) {
                    spool.release(segment);
                  }
                  sleep(50);
                }
              },
              "benchmark-releaser");
      releaser.start();
      try {
        List<byte[]> records = List.of(record);
        if (async) {
          return runAsync(spool, records, writers, warmup, seconds);
        }
        return run(
            writers,
            warmup,
            seconds,
            () -> spool.stats().fsyncs(),
            () -> () -> spool.append(records).join());
      } finally {
        releasing.set(false);
        releaser.join();
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  /** One durable append, blocking until it is durable. */
  private interface Append {
    void run() throws IOException;
  }

  /** Makes one writer's {@link Append}, with whatever per-thread state it needs. */
  private interface AppendFactory {
    Append create();
  }

  private interface Counter {
    long get();
  }

  private static Result run(
      int writers, long warmupSeconds, long seconds, Counter fsyncs, AppendFactory factory)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicLong appends = new AtomicLong();
    Histogram[] histograms = new Histogram[writers];
    CountDownLatch started = new CountDownLatch(writers);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Histogram histogram = new Histogram();
      histograms[w] = histogram;
      Thread thread =
          new Thread(
              () -> {
                Append append = factory.create();
                started.countDown();
                try {
                  while (!stop.get()) {
                    long begin = System.nanoTime();
                    append.run();
                    if (measuring.get()) {
                      histogram.record(System.nanoTime() - begin);
                      appends.incrementAndGet();
                    }
                  }
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                  stop.set(true);
                }
              },
              "benchmark-writer-" + w);
      threads.add(thread);
      thread.start();
    }
    started.await();
    Thread.sleep(warmupSeconds * 1000);
    long fsyncsBefore = fsyncs.get();
    long begin = System.nanoTime();
    measuring.set(true);
    Thread.sleep(seconds * 1000);
    measuring.set(false);
    long elapsed = System.nanoTime() - begin;
    long fsyncsDuring = fsyncs.get() - fsyncsBefore;
    long appendsDuring = appends.get();
    stop.set(true);
    for (Thread thread : threads) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a writer failed", failures.get(0));
    }
    Histogram all = new Histogram();
    for (Histogram histogram : histograms) {
      all.add(histogram);
    }
    double perSecond = 1e9 / elapsed;
    return new Result(
        appendsDuring * perSecond,
        fsyncsDuring * perSecond,
        all.percentile(0.50),
        all.percentile(0.99));
  }

  /**
   * {@code writers} appends always in flight, none of them holding a thread: each acknowledgement
   * issues that writer's next append, as an HTTP server on a few event loops does for its
   * connections.
   */
  private static Result runAsync(
      Spool spool, List<byte[]> records, int writers, long warmupSeconds, long seconds)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicLong appends = new AtomicLong();
    Histogram histogram = new Histogram();
    CountDownLatch stopped = new CountDownLatch(writers);
    List<Throwable> failures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      new Object() {
        void next() {
          long begin = System.nanoTime();
          spool
              .append(records)
              .whenComplete(
                  (ignored, error) -> {
                    if (error != null) {
                      synchronized (failures) {
                        failures.add(error);
                      }
                      stop.set(true);
                    } else if (measuring.get()) {
                      synchronized (histogram) {
                        histogram.record(System.nanoTime() - begin);
                      }
                      appends.incrementAndGet();
                    }
                    if (stop.get()) {
                      stopped.countDown();
                    } else {
                      next();
                    }
                  });
        }
      }.next();
    }
    Thread.sleep(warmupSeconds * 1000);
    long fsyncsBefore = spool.stats().fsyncs();
    long begin = System.nanoTime();
    measuring.set(true);
    Thread.sleep(seconds * 1000);
    measuring.set(false);
    long elapsed = System.nanoTime() - begin;
    long fsyncsDuring = spool.stats().fsyncs() - fsyncsBefore;
    long appendsDuring = appends.get();
    stop.set(true);
    stopped.await();
    if (!failures.isEmpty()) {
      throw new IllegalStateException("an append failed", failures.get(0));
    }
    double perSecond = 1e9 / elapsed;
    synchronized (histogram) {
      return new Result(
          appendsDuring * perSecond,
          fsyncsDuring * perSecond,
          histogram.percentile(0.50),
          histogram.percentile(0.99));
    }
  }

  /** Latencies in buckets 5 % wide: enough for percentiles, a few KiB per writer. */
  private static final class Histogram {
    private static final double GROWTH = Math.log(1.05);
    private final long[] counts = new long[600];
    private long total;

    void record(long nanos) {
      int bucket = (int) (Math.log(Math.max(nanos, 1)) / GROWTH);
      counts[Math.min(bucket, counts.length - 1)]++;
      total++;
    }

    void add(Histogram other) {
      for (int i = 0; i < counts.length; i++) {
        counts[i] += other.counts[i];
      }
      total += other.total;
    }

    long percentile(double p) {
      long rank = (long) Math.ceil(p * total);
      long seen = 0;
      for (int i = 0; i < counts.length; i++) {
        seen += counts[i];
        if (seen >= rank && seen > 0) {
          return (long) Math.exp((i + 1) * GROWTH);
        }
      }
      return 0;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
