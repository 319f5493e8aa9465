package io.segmentredshift.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, append-only local log of opaque records: what makes "acknowledged means kept" true.
 *
 * <p><b>Appending.</b> {@link #append} queues the records of one request and returns at once. One
 * writer thread drains everything queued, writes it to the active segment file through one direct
 * buffer, forces the file once ({@code fdatasync}) for the whole batch, and only then completes the
 * futures: a completed future means the records survive a crash. Many concurrent appends therefore
 * share one sync (group commit). The records of one append are written contiguously, in one
 * segment, and appends are written in the order they were queued. Payload arrays are referenced
 * only until the writer has copied them out; after that the bytes live on disk alone.
 *
 * <p><b>Segments.</b> A segment is sealed when the next append would take it past {@link
 * SpoolConfig#maxSegmentBytes()}, when its first record is {@link SpoolConfig#maxSegmentAge()} old,
 * on {@link #sealActive()}, and on {@link #close()}. Sealed segments never change; {@link
 * #sealed()} lists them in append order, {@link SealedSegment#reader()} streams their records from
 * disk, and {@link #release} deletes one once its load has committed. File names carry increasing
 * ids, so replay order is append order.
 *
 * <p><b>Recovery.</b> {@link #open} scans every segment in the directory. A segment that ends in a
 * torn or damaged record (short header, short payload, impossible length, checksum mismatch) is
 * truncated after its last good record and a warning names the file and the bytes cut. The same
 * rule applies to damage in the middle of a segment that is not the last one: the good prefix is
 * kept, the rest is cut and an error is logged, because records after damage cannot be told apart
 * from garbage without a resynchronisation marker the format does not have. Every remaining segment
 * is then sealed, to be replayed by the flusher; new appends go to a new segment.
 *
 * <p><b>Bounds.</b> Bytes of all segments plus queued appends stay within {@link
 * SpoolConfig#maxTotalBytes()}: an append that would exceed it fails at once with {@link
 * SpoolException.Reason#SPOOL_FULL}, never blocks. Records above {@link
 * SpoolConfig#maxRecordBytes()} fail with {@link SpoolException.Reason#RECORD_TOO_LARGE}.
 *
 * <p><b>Threads.</b> Every method is thread-safe. {@code append} and {@code sealActive} never block
 * on disk. Futures complete on the writer thread (named {@value #WRITER_THREAD_NAME}): dependent
 * stages that are not {@code *Async} run there, so they must be quick and must not block, or they
 * delay every other append; hand real work to your own executor. The writer is a daemon thread: a
 * JVM that exits without {@link #close()} loses only appends not yet completed, which were never
 * acknowledged, and recovery cuts the torn tail they may leave; a non-daemon thread would instead
 * keep an application alive that forgot to close the spool. Never interrupt the writer thread: an
 * interrupt closes the {@link FileChannel} it is writing to.
 *
 * <p>One spool per directory: {@code open} takes a file lock ({@code spool.lock}) and fails with
 * {@link SpoolException.Reason#DIRECTORY_LOCKED} if another spool holds it.
 *
 * <p>Messages of {@code SPOOL_FULL} and {@code CLOSED} name no path and may be shown to senders;
 * those of {@code IO_ERROR} name files and are meant for logs.
 */
public final class Spool implements AutoCloseable {
  static final String WRITER_THREAD_NAME = "segment-redshift-spool-writer";

  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final String LOCK_FILE = "spool.lock";
  private static final int WRITE_BUFFER_BYTES = 1 << 20;
  private static final int SCAN_BUFFER_BYTES = 1 << 20;

  private final Path directory;
  private final SpoolConfig config;
  private final FileChannel lockChannel;
  private final long maxSegmentAgeNanos;
  private final LinkedBlockingQueue<Command> queue = new LinkedBlockingQueue<>();
  private final ConcurrentSkipListMap<Long, SealedSegment> sealed = new ConcurrentSkipListMap<>();
  private final AtomicLong reservedBytes = new AtomicLong();
  private final AtomicLong backlogBytes = new AtomicLong();
  private final AtomicLong backlogRecords = new AtomicLong();
  private final AtomicLong appends = new AtomicLong();
  private final AtomicLong appendedRecords = new AtomicLong();
  private final AtomicLong fsyncs = new AtomicLong();
  private final AtomicLong refusedFull = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile boolean writerDone;
  private final Thread writerThread;

  private Spool(Path directory, SpoolConfig config, FileChannel lockChannel) throws IOException {
    this.directory = directory;
    this.config = config;
    this.lockChannel = lockChannel;
    this.maxSegmentAgeNanos = saturatedNanos(config.maxSegmentAge());
    long lastId = recover();
    reservedBytes.set(backlogBytes.get());
    Writer writer = new Writer(lastId + 1);
    this.writerThread = new Thread(writer, WRITER_THREAD_NAME);
    writerThread.setDaemon(true);
  }

  /** Opens the spool in {@code directory} with {@link SpoolConfig#defaults()}. */
  public static Spool open(Path directory) {
    return open(directory, SpoolConfig.defaults());
  }

  /**
   * Opens the spool in {@code directory}, creating the directory if needed, recovers every segment
   * it holds (see the class comment) and starts the writer thread.
   *
   * @throws SpoolException with {@link SpoolException.Reason#DIRECTORY_LOCKED} if another spool has
   *     the directory open, or {@link SpoolException.Reason#IO_ERROR} if it cannot be read
   */
  public static Spool open(Path directory, SpoolConfig config) {
    Objects.requireNonNull(directory, "directory == null");
    Objects.requireNonNull(config, "config == null");
    FileChannel lock = lockDirectory(directory);
    Spool spool;
    try {
      spool = new Spool(directory, config, lock);
    } catch (IOException | RuntimeException e) {
      closeQuietly(lock);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw ioError("cannot recover spool " + directory, e);
    }
    spool.writerThread.start();
    return spool;
  }

  /**
   * Queues the records of one request to be appended contiguously, in order, and returns at once.
   * The future completes normally once a sync covering every one of them has returned, and
   * exceptionally with a {@link SpoolException} otherwise: {@code SPOOL_FULL}, {@code CLOSED} and
   * {@code RECORD_TOO_LARGE} without writing anything, {@code IO_ERROR} if writing or syncing
   * failed (the records are then not acknowledged; some of them may still be replayed later, which
   * is harmless to an idempotent load). An empty list completes at once.
   *
   * <p>The arrays are not copied: do not change them until the future completes.
   */
  public CompletableFuture<Void> append(List<byte[]> records) {
    Objects.requireNonNull(records, "records == null");
    long bytes = 0;
    int index = 0;
    for (byte[] record : records) {
      if (record == null) {
        throw new NullPointerException("records[" + index + "] == null");
      }
      if (record.length > config.maxRecordBytes()) {
        return CompletableFuture.failedFuture(
            new SpoolException(
                SpoolException.Reason.RECORD_TOO_LARGE,
                "record "
                    + index
                    + " has "
                    + record.length
                    + " bytes, more than maxRecordBytes "
                    + config.maxRecordBytes(),
                null));
      }
      bytes += SegmentFormat.framedSize(record.length);
      index++;
    }
    if (index == 0) {
      return CompletableFuture.completedFuture(null);
    }
    if (closed.get() || writerDone) {
      return CompletableFuture.failedFuture(refusal());
    }
    if (!reserve(bytes)) {
      refusedFull.incrementAndGet();
      return CompletableFuture.failedFuture(
          new SpoolException(
              SpoolException.Reason.SPOOL_FULL,
              "spool full: "
                  + reservedBytes.get()
                  + " of "
                  + config.maxTotalBytes()
                  + " bytes in use, "
                  + bytes
                  + " more requested",
              config.retryAfter()));
    }
    Append append = new Append(List.copyOf(records), index, bytes);
    enqueue(append);
    return append.future;
  }

  /**
   * Seals the active segment if it holds any record, after every append queued before this call has
   * been written. The returned future completes once the segment is in {@link #sealed()}; after
   * {@link #close()} it completes once the writer has stopped (close seals the active segment).
   */
  public CompletableFuture<Void> sealActive() {
    if (closed.get() || writerDone) {
      return terminated.copy();
    }
    Seal seal = new Seal();
    enqueue(seal);
    return seal.done;
  }

  /** The sealed segments not yet released, oldest first (append order). */
  public List<SealedSegment> sealed() {
    return List.copyOf(sealed.values());
  }

  /**
   * Deletes a sealed segment: call it only after the load of all its records has committed.
   * Releasing a segment twice does nothing. Works after {@link #close()} too, so a flusher can
   * finish draining.
   *
   * @throws IllegalArgumentException if the segment came from another spool
   * @throws SpoolException with {@link SpoolException.Reason#IO_ERROR} if the file cannot be
   *     deleted; the segment then stays sealed and release may be retried
   */
  public void release(SealedSegment segment) {
    Objects.requireNonNull(segment, "segment == null");
    if (segment.spool() != this) {
      throw new IllegalArgumentException("segment of another spool: " + segment.path());
    }
    if (!segment.markReleased()) {
      return;
    }
    try {
      Files.deleteIfExists(segment.path());
    } catch (IOException e) {
      segment.unmarkReleased();
      throw ioError("cannot delete segment " + segment.path(), e);
    }
    sealed.remove(segment.id());
    backlogBytes.addAndGet(-segment.sizeBytes());
    backlogRecords.addAndGet(-segment.recordCount());
    reservedBytes.addAndGet(-segment.sizeBytes());
    LOG.debug("Spool {}: released {}", directory, segment);
  }

  /** A snapshot of the backlog on disk and of the counters since open. */
  public SpoolStats stats() {
    return new SpoolStats(
        backlogBytes.get(),
        backlogRecords.get(),
        sealed.size(),
        appends.get(),
        appendedRecords.get(),
        fsyncs.get(),
        refusedFull.get());
  }

  /** The spool's directory. */
  public Path directory() {
    return directory;
  }

  /** The spool's limits. */
  public SpoolConfig config() {
    return config;
  }

  /**
   * Stops accepting appends ({@link SpoolException.Reason#CLOSED} from now on), writes and syncs
   * every append queued before, seals the active segment, stops the writer thread and releases the
   * directory lock. Blocks until that is done (except when called from a stage running on the
   * writer thread, which cannot wait for itself); calling it again waits the same way. {@link
   * #sealed()}, {@link SealedSegment#reader()} and {@link #release} keep working afterwards, so the
   * flusher may drain after close; do not open the directory again before it has finished.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      enqueue(new Close());
    }
    if (Thread.currentThread() == writerThread) {
      // Called from a stage running on the writer: waiting here would wait for ourselves.
      return;
    }
    terminated.join();
    // The writer completes `terminated` just before its thread ends; wait for the end too, so a
    // closed spool has no thread left.
    boolean interrupted = false;
    while (writerThread.isAlive()) {
      try {
        writerThread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Spool[" + directory + "]";
  }

  private void enqueue(Command command) {
    queue.add(command);
    // The writer drains the queue one last time after it sets writerDone; whatever arrives after
    // that drain is refused here, so no future is left hanging.
    if (writerDone) {
      refuseQueued();
    }
  }

  private void refuseQueued() {
    Command command;
    while ((command = queue.poll()) != null) {
      refuse(command);
    }
  }

  private void refuse(Command command) {
    if (command instanceof Append append) {
      fail(append, refusal());
    } else if (command instanceof Seal seal) {
      seal.done.complete(null);
    }
  }

  private SpoolException refusal() {
    if (closed.get()) {
      return new SpoolException(SpoolException.Reason.CLOSED, "spool closed", config.retryAfter());
    }
    return new SpoolException(
        SpoolException.Reason.IO_ERROR,
        "spool stopped writing after an unexpected failure",
        config.retryAfter());
  }

  private boolean reserve(long bytes) {
    long max = config.maxTotalBytes();
    while (true) {
      long used = reservedBytes.get();
      if (used + bytes > max) {
        return false;
      }
      if (reservedBytes.compareAndSet(used, used + bytes)) {
        return true;
      }
    }
  }

  private void fail(Append append, SpoolException cause) {
    if (append.future.isDone()) {
      return;
    }
    append.records = null;
    reservedBytes.addAndGet(-append.bytes);
    append.future.completeExceptionally(cause);
  }

  /** Scans, repairs and seals every segment in the directory; returns the highest id seen. */
  private long recover() throws IOException {
    long started = System.nanoTime();
    Map<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        OptionalLong id = SegmentFormat.parseId(entry.getFileName().toString());
        if (id.isPresent() && Files.isRegularFile(entry)) {
          files.put(id.getAsLong(), entry);
        }
      }
    }
    long lastId = 0;
    int seen = 0;
    for (Map.Entry<Long, Path> file : files.entrySet()) {
      seen++;
      lastId = file.getKey();
      Path path = file.getValue();
      Kept kept = scanAndRepair(path, seen == files.size());
      if (kept.records() == 0) {
        Files.delete(path);
        LOG.info("Spool {}: deleted segment {}, which holds no record", directory, path);
        continue;
      }
      sealed.put(lastId, new SealedSegment(this, lastId, path, kept.bytes(), kept.records()));
      backlogBytes.addAndGet(kept.bytes());
      backlogRecords.addAndGet(kept.records());
    }
    LOG.info(
        "Spool {} opened in {} ms: {} segments to replay, {} records, {} bytes",
        directory,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        sealed.size(),
        backlogRecords.get(),
        backlogBytes.get());
    return lastId;
  }

  /** What recovery kept of one segment. */
  private record Kept(long bytes, long records) {}

  /** Finds the good prefix of a segment and cuts what follows. */
  private static Kept scanAndRepair(Path path, boolean last) throws IOException {
    try (FileChannel channel =
        FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      SegmentCursor cursor = new SegmentCursor(channel, size, SCAN_BUFFER_BYTES);
      long records = 0;
      SegmentCursor.Outcome outcome;
      while ((outcome = cursor.next(false)) == SegmentCursor.Outcome.RECORD) {
        records++;
      }
      long good = cursor.goodBytes();
      if (outcome != SegmentCursor.Outcome.END) {
        if (last) {
          LOG.warn(
              "Spool segment {}: torn or damaged tail ({}) at byte {}; cut {} bytes, kept {}"
                  + " records",
              path,
              outcome,
              good,
              size - good,
              records);
        } else {
          LOG.error(
              "Spool segment {} is damaged ({}) at byte {} although later segments exist; cut {}"
                  + " bytes after its last good record, kept {} records. Records in the cut"
                  + " bytes are lost.",
              path,
              outcome,
              good,
              size - good,
              records);
        }
        channel.truncate(good);
        channel.force(true);
      }
      return new Kept(good, records);
    }
  }

  private static FileChannel lockDirectory(Path directory) {
    FileChannel channel = null;
    try {
      Files.createDirectories(directory);
      channel =
          FileChannel.open(
              directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw locked(directory);
      }
      return channel;
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw locked(directory);
    } catch (IOException e) {
      closeQuietly(channel);
      throw ioError("cannot open spool directory " + directory, e);
    } catch (SpoolException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static SpoolException locked(Path directory) {
    return new SpoolException(
        SpoolException.Reason.DIRECTORY_LOCKED,
        "spool directory " + directory + " is in use by another spool",
        null);
  }

  private static SpoolException ioError(String message, Throwable cause) {
    return new SpoolException(SpoolException.Reason.IO_ERROR, message, null, cause);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing {} failed", channel, e);
    }
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** Work for the writer thread, in queue order. */
  private interface Command {}

  private static final class Append implements Command {
    final int count;
    final long bytes;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    List<byte[]> records;

    Append(List<byte[]> records, int count, long bytes) {
      this.records = records;
      this.count = count;
      this.bytes = bytes;
    }
  }

  private static final class Seal implements Command {
    final CompletableFuture<Void> done = new CompletableFuture<>();
  }

  private static final class Close implements Command {}

  /**
   * The writer thread: owns the active segment and everything below; no other thread touches it.
   */
  private final class Writer implements Runnable {
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private final CRC32C crc = new CRC32C();
    private final List<Append> inFlight = new ArrayList<>();
    private long nextId;
    private FileChannel active;
    private long activeId;
    private Path activePath;
    private long writtenBytes;
    private long writtenRecords;
    private long durableBytes;
    private long durableRecords;
    private long firstRecordNanos;
    private boolean stopping;
    private boolean warnedDirectorySync;

    Writer(long firstId) {
      this.nextId = firstId;
    }

    @Override
    public void run() {
      List<Command> batch = new ArrayList<>();
      try {
        while (!stopping) {
          Command first = awaitCommand();
          if (first != null) {
            batch.add(first);
            queue.drainTo(batch);
          }
          for (Command command : batch) {
            handle(command);
          }
          batch.clear();
          commit();
          if (writtenRecords > 0 && System.nanoTime() - firstRecordNanos >= maxSegmentAgeNanos) {
            seal();
          }
        }
        LOG.info(
            "Spool {} closed: {} appends in {} fsyncs since open, {} sealed segments left",
            directory,
            appends.get(),
            fsyncs.get(),
            sealed.size());
      } catch (RuntimeException | Error e) {
        LOG.error(
            "Spool {}: the writer thread failed; appends are refused from now on", directory, e);
        SpoolException failure = ioError("spool writer failed", e);
        for (Command command : batch) {
          if (command instanceof Append append) {
            fail(append, failure);
          } else if (command instanceof Seal seal) {
            seal.done.complete(null);
          }
        }
        abandonInFlight(failure);
        throw e;
      } finally {
        writerDone = true;
        refuseQueued();
        closeQuietly(lockChannel);
        terminated.complete(null);
      }
    }

    private Command awaitCommand() {
      try {
        if (writtenRecords == 0) {
          return queue.take();
        }
        long wait = maxSegmentAgeNanos - (System.nanoTime() - firstRecordNanos);
        return wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        // Nothing should interrupt this thread; carry on, the loop re-checks age and queue.
        return null;
      }
    }

    private void handle(Command command) {
      if (command instanceof Append append) {
        if (stopping) {
          fail(append, refusal());
        } else {
          write(append);
        }
      } else if (command instanceof Seal seal) {
        if (!stopping) {
          commit();
          seal();
        }
        seal.done.complete(null);
      } else {
        commit();
        seal();
        stopping = true;
      }
    }

    private void write(Append append) {
      if (writtenBytes > 0 && writtenBytes + append.bytes > config.maxSegmentBytes()) {
        commit();
        seal();
      }
      if (active == null) {
        try {
          openActive();
        } catch (IOException e) {
          LOG.error("Spool {}: cannot create a segment file", directory, e);
          fail(append, ioError("cannot create a segment in " + directory, e));
          return;
        }
      }
      inFlight.add(append);
      try {
        for (byte[] record : append.records) {
          put(record);
        }
      } catch (IOException e) {
        failInFlight(e);
        return;
      }
      append.records = null;
      if (writtenRecords == 0) {
        firstRecordNanos = System.nanoTime();
      }
      writtenBytes += append.bytes;
      writtenRecords += append.count;
    }

    private void put(byte[] record) throws IOException {
      int checksum = SegmentFormat.checksum(crc, record);
      if (buffer.remaining() < SegmentFormat.HEADER_BYTES) {
        flushBuffer();
      }
      SegmentFormat.putHeader(buffer, record.length, checksum);
      int offset = 0;
      while (offset < record.length) {
        if (!buffer.hasRemaining()) {
          flushBuffer();
        }
        int n = Math.min(buffer.remaining(), record.length - offset);
        buffer.put(record, offset, n);
        offset += n;
      }
    }

    private void flushBuffer() throws IOException {
      buffer.flip();
      while (buffer.hasRemaining()) {
        active.write(buffer);
      }
      buffer.clear();
    }

    /** Writes and syncs what is buffered, then completes the appends it covers. */
    private void commit() {
      if (inFlight.isEmpty()) {
        return;
      }
      try {
        flushBuffer();
        if (config.fsync()) {
          active.force(false);
          fsyncs.incrementAndGet();
        }
      } catch (IOException e) {
        failInFlight(e);
        return;
      }
      backlogBytes.addAndGet(writtenBytes - durableBytes);
      backlogRecords.addAndGet(writtenRecords - durableRecords);
      durableBytes = writtenBytes;
      durableRecords = writtenRecords;
      long records = 0;
      for (Append append : inFlight) {
        records += append.count;
      }
      appendedRecords.addAndGet(records);
      appends.addAndGet(inFlight.size());
      for (Append append : inFlight) {
        append.future.complete(null);
      }
      inFlight.clear();
    }

    /**
     * A write or sync failed: nothing written since the last good sync is acknowledged. After a
     * failed fsync the state of the page cache is unknown, so the segment is not written to again:
     * it is cut back to its last synced record and sealed, and the next append starts a new one.
     */
    private void failInFlight(IOException e) {
      LOG.error(
          "Spool {}: writing or syncing {} failed; {} appends are refused and the segment is"
              + " sealed at its last synced record",
          directory,
          activePath,
          inFlight.size(),
          e);
      abandonInFlight(ioError("writing segment " + activePath + " failed", e));
    }

    private void abandonInFlight(SpoolException failure) {
      for (Append append : inFlight) {
        fail(append, failure);
      }
      inFlight.clear();
      buffer.clear();
      if (active == null) {
        return;
      }
      if (writtenBytes != durableBytes) {
        try {
          active.truncate(durableBytes);
          if (config.fsync()) {
            active.force(false);
          }
        } catch (IOException truncateFailed) {
          // The unacknowledged bytes stay in the file beyond the sealed size: readers stop at the
          // sealed size, and a replay after a restart would only repeat unacknowledged records.
          LOG.warn("Spool {}: cannot cut {} back to {} bytes", directory, activePath, durableBytes);
        }
      }
      writtenBytes = durableBytes;
      writtenRecords = durableRecords;
      seal();
    }

    /** Seals the active segment (whose appends are all committed), or drops it if empty. */
    private void seal() {
      if (active == null) {
        return;
      }
      closeQuietly(active);
      active = null;
      if (durableRecords == 0) {
        try {
          Files.deleteIfExists(activePath);
        } catch (IOException e) {
          LOG.warn("Spool {}: cannot delete empty segment {}", directory, activePath, e);
        }
      } else {
        SealedSegment segment =
            new SealedSegment(Spool.this, activeId, activePath, durableBytes, durableRecords);
        sealed.put(activeId, segment);
        LOG.debug("Spool {}: sealed {}", directory, segment);
      }
      writtenBytes = 0;
      writtenRecords = 0;
      durableBytes = 0;
      durableRecords = 0;
    }

    private void openActive() throws IOException {
      long id = nextId++;
      Path path = directory.resolve(SegmentFormat.fileName(id));
      FileChannel channel =
          FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        syncDirectory();
      } catch (IOException e) {
        closeQuietly(channel);
        Files.deleteIfExists(path);
        throw e;
      }
      active = channel;
      activeId = id;
      activePath = path;
    }

    /** Makes a new file's directory entry durable, or a crash could lose the file itself. */
    private void syncDirectory() throws IOException {
      if (!config.fsync()) {
        return;
      }
      FileChannel dir;
      try {
        dir = FileChannel.open(directory, StandardOpenOption.READ);
      } catch (IOException unsupported) {
        // Some platforms (Windows) cannot open a directory; they keep directory entries durable
        // by other means.
        if (!warnedDirectorySync) {
          warnedDirectorySync = true;
          LOG.warn("Spool {}: this platform cannot sync a directory", directory, unsupported);
        }
        return;
      }
      try (dir) {
        dir.force(true);
      }
    }
  }
}
