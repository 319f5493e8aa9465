package io.segmentredshift;

import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventValidator;
import io.segmentredshift.event.MalformedEventException;
import io.segmentredshift.load.LoadPipeline;
import io.segmentredshift.load.RejectedEvent;
import io.segmentredshift.spool.EventRecord;
import io.segmentredshift.spool.RecordReader;
import io.segmentredshift.spool.SealedSegment;
import io.segmentredshift.spool.Spool;
import io.segmentredshift.spool.SpoolException;
import io.segmentredshift.spool.SpoolStats;
import io.segmentredshift.webhook.EventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves what the spool holds into the warehouse: one background thread per {@link SegmentRedshift},
 * so one load at a time.
 *
 * <p><b>Batches.</b> The flusher reads the sealed segments in append order, record by record,
 * decodes each record ({@link EventRecord#decode}) and stops at {@link FlushPolicy#batchSize()}
 * events or {@link FlushPolicy#batchBytes()} spooled bytes: a batch may end inside a segment and
 * may span several. It loads a batch as soon as a full one is spooled (sealing the active segment
 * if the batch reaches into it), and otherwise once the oldest record not yet sealed is {@link
 * FlushPolicy#flushInterval()} old: it then seals the active segment and loads everything sealed so
 * far, in batches. Only the batch being loaded is decoded on the heap.
 *
 * <p><b>Sources.</b> The records of a batch are grouped by source; each source is loaded into the
 * schema of that name, as a batch of its own with its own batch id. Records that cannot be decoded,
 * whose source is not a usable schema name, or whose event breaks Segment's rules are counted and
 * logged once per batch, never loaded, and never hold up the spool.
 *
 * <p><b>Release.</b> A segment is released (deleted) only once every record in it has been
 * committed: after the batch that holds its last record committed every one of its sources. Batches
 * commit in order, one at a time, so every earlier record of the segment committed before.
 *
 * <p><b>Failures.</b> A batch that fails (after the load path's own retries, see {@link
 * io.segmentredshift.load.RetryPolicy}) is tried again, with the same batch ids and the same
 * events, after a capped exponential backoff with jitter ({@link FlushPolicy#backoff()}), until it
 * commits or close stops the flusher. Nothing is skipped: an event that was acknowledged is loaded
 * or stays in the spool. Retrying cannot duplicate anything: the merge skips messageIds already in
 * a table, and a batch id that the {@code _loads} ledger already holds is not merged again. The
 * first failure of an outage is logged at WARN, then at most one WARN a minute while it lasts, and
 * one line when loading works again.
 *
 * <p><b>Close.</b> {@link #drain()} makes the flusher seal the active segment, load everything and
 * stop; {@link #stop()} makes it stop at once, releasing nothing more. Whatever is not released
 * stays in the spool and is replayed on the next start.
 */
final class Flusher {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final SegmentRedshift owner;
  private final String name;
  private final Spool spool;
  private final FlushPolicy policy;
  private final long intervalNanos;
  private final Thread thread;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  /** System.nanoTime() of an append not yet sealed, the oldest one since the last seal; 0: none. */
  private final AtomicLong pendingSince = new AtomicLong();

  private final Object releaseLock = new Object();
  private boolean abandoned;
  private volatile boolean draining;
  private volatile boolean stopping;

  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong loadedEvents = new AtomicLong();
  private final AtomicLong skippedRecords = new AtomicLong();
  private final AtomicLong rejectedEvents = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private final AtomicLong releasedSegments = new AtomicLong();

  // The read position; only the flusher thread touches these.
  private SealedSegment current;
  private RecordReader reader;
  private long currentRecords;
  private long currentBytes;
  private long lastOpenedId = Long.MIN_VALUE;
  private long flushThroughId = Long.MIN_VALUE;

  // The outage state; flusher thread only.
  private long failingSince;
  private long lastWarn;

  Flusher(SegmentRedshift owner, Spool spool, FlushPolicy policy) {
    this.owner = owner;
    this.name = owner.name();
    this.spool = spool;
    this.policy = policy;
    this.intervalNanos = saturatedNanos(policy.flushInterval());
    this.thread = new Thread(this::run, name + "-flusher");
    // A daemon: a JVM that exits without close() loses nothing, the spool replays on next start.
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * The sink the webhook appends to: {@link EventSink#spool}, noting when the oldest record not yet
   * sealed arrived. The note is taken after the append is queued, so a record queued after a seal
   * is always noted after the flusher cleared the note for that seal (at worst a record sealed
   * already is noted, which makes the next flush come early).
   */
  EventSink sink() {
    EventSink spooled = EventSink.spool(spool);
    return (source, events) -> {
      CompletableFuture<Void> stored = spooled.accept(source, events);
      long now = System.nanoTime();
      pendingSince.compareAndSet(0, now == 0 ? 1 : now);
      return stored;
    };
  }

  /** Seal, load everything and stop; {@link #awaitStopped} tells when it is done. */
  void drain() {
    draining = true;
    LockSupport.unpark(thread);
  }

  /**
   * Stops at once: no load starts, nothing more is released (a load under way may still commit,
   * which the next start's replay then finds loaded).
   */
  void stop() {
    synchronized (releaseLock) {
      abandoned = true;
    }
    stopping = true;
    // Wakes the load path's own backoff sleep; a JDBC call under way is not interrupted by it.
    thread.interrupt();
  }

  /** Waits up to {@code timeout} for the thread to end; true if it has. */
  boolean awaitStopped(Duration timeout) {
    try {
      stopped.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether the thread is running. */
  boolean alive() {
    return !stopped.isDone();
  }

  /** Counters since start. */
  Stats stats() {
    return new Stats(
        batches.get(),
        loadedEvents.get(),
        skippedRecords.get(),
        rejectedEvents.get(),
        failedAttempts.get(),
        releasedSegments.get());
  }

  /**
   * The flusher's counters.
   *
   * @param batches batches committed (each may hold several sources)
   * @param loadedEvents valid events in them, duplicates included
   * @param skippedRecords records that could not be decoded or named no usable schema
   * @param rejectedEvents decoded events that broke Segment's rules
   * @param failedAttempts failed loads, each followed by a backoff
   * @param releasedSegments segments deleted after their records committed
   */
  record Stats(
      long batches,
      long loadedEvents,
      long skippedRecords,
      long rejectedEvents,
      long failedAttempts,
      long releasedSegments) {}

  private void run() {
    LOG.info(
        "[{}] flusher started: batches of up to {} events or {} bytes, every {} ms at the latest;"
            + " {} records spooled",
        name,
        policy.batchSize(),
        policy.batchBytes(),
        policy.flushInterval().toMillis(),
        spool.stats().backlogRecords());
    try {
      // What the spool recovered on open is replayed at once.
      flushThroughId = lastId(spool.sealed());
      while (!stopping) {
        if (step()) {
          continue;
        }
        if (draining) {
          break;
        }
        park();
      }
    } catch (RuntimeException | Error e) {
      LOG.error("[{}] flusher failed; spooled events stay for the next start", name, e);
      owner.noteError("the flusher failed: " + e);
      throw e;
    } finally {
      closeReader();
      stopped.complete(null);
      Stats s = stats();
      LOG.info(
          "[{}] flusher stopped{}: {} batches, {} events loaded, {} records skipped, {} events"
              + " rejected, {} failed attempts, {} records left in the spool",
          name,
          stopping ? " before draining everything" : "",
          s.batches(),
          s.loadedEvents(),
          s.skippedRecords(),
          s.rejectedEvents(),
          s.failedAttempts(),
          spool.stats().backlogRecords());
    }
  }

  /** One decision: seal, load a batch, or nothing to do; true if it did something. */
  private boolean step() {
    Backlog b = backlog();
    long since = pendingSince.get();
    boolean due = draining || (since != 0 && System.nanoTime() - since >= intervalNanos);
    boolean full = b.unreadRecords >= policy.batchSize() || b.unreadBytes >= policy.batchBytes();
    boolean fullWithActive =
        b.unreadRecords + b.activeRecords >= policy.batchSize()
            || b.unreadBytes + b.activeBytes >= policy.batchBytes();
    boolean sealed = false;
    if (due || (!full && fullWithActive && b.activeRecords > 0)) {
      if (due) {
        pendingSince.set(0);
      }
      // Sealed even when the stats show no active record: an append noted before the note was
      // cleared may not be durable yet, and the seal is queued behind it.
      spool.sealActive().join();
      sealed = true;
      if (due) {
        flushThroughId = lastId(spool.sealed());
      }
      b = backlog();
      full = b.unreadRecords >= policy.batchSize() || b.unreadBytes >= policy.batchBytes();
    }
    if (b.unreadRecords > 0 && (full || b.nextUnreadId <= flushThroughId)) {
      loadBatch();
      return true;
    }
    return sealed && b.unreadRecords > 0;
  }

  /** What is spooled and not yet read. */
  private record Backlog(
      long unreadRecords,
      long unreadBytes,
      long activeRecords,
      long activeBytes,
      long nextUnreadId) {}

  private Backlog backlog() {
    List<SealedSegment> sealed = spool.sealed();
    SpoolStats stats = spool.stats();
    long unreadRecords = 0;
    long unreadBytes = 0;
    long nextUnreadId = Long.MAX_VALUE;
    if (current != null) {
      unreadRecords += current.recordCount() - currentRecords;
      unreadBytes += current.sizeBytes() - currentBytes;
      nextUnreadId = current.id();
    }
    long sealedRecords = 0;
    long sealedBytes = 0;
    for (SealedSegment s : sealed) {
      sealedRecords += s.recordCount();
      sealedBytes += s.sizeBytes();
      if (s.id() > lastOpenedId) {
        unreadRecords += s.recordCount();
        unreadBytes += s.sizeBytes();
        nextUnreadId = Math.min(nextUnreadId, s.id());
      }
    }
    // The stats and the list are read apart, so this may be off by an append; it only decides
    // whether sealing now is worth it.
    long activeRecords = Math.max(0, stats.backlogRecords() - sealedRecords);
    long activeBytes = Math.max(0, stats.backlogBytes() - sealedBytes);
    return new Backlog(unreadRecords, unreadBytes, activeRecords, activeBytes, nextUnreadId);
  }

  /** Reads the next batch, loads it until it commits (or the flusher stops) and releases. */
  private void loadBatch() {
    Batch batch = read();
    for (int attempt = 1; ; attempt++) {
      if (stopping) {
        return;
      }
      try {
        batch.load(owner);
        break;
      } catch (RuntimeException e) {
        if (stopping) {
          return;
        }
        failed(batch, attempt, e);
      }
    }
    if (failingSince != 0) {
      LOG.warn(
          "[{}] loading works again after {} s of failures",
          name,
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - failingSince));
      failingSince = 0;
    }
    batches.incrementAndGet();
    loadedEvents.addAndGet(batch.validEvents);
    release(batch.completed);
  }

  private void failed(Batch batch, int attempt, RuntimeException e) {
    failedAttempts.incrementAndGet();
    owner.noteError(String.valueOf(e.getMessage()));
    Duration wait = policy.backoff().backoff(attempt);
    long now = System.nanoTime();
    if (failingSince == 0) {
      failingSince = now;
      lastWarn = now;
      LOG.warn(
          "[{}] loading {} events failed, retrying until it works (backoff from {} ms to {} ms):"
              + " {}",
          name,
          batch.validEvents,
          policy.backoff().initialBackoff().toMillis(),
          policy.backoff().maxBackoff().toMillis(),
          e.toString(),
          e);
    } else if (now - lastWarn >= WARN_EVERY_NANOS) {
      lastWarn = now;
      LOG.warn(
          "[{}] loading still fails after {} attempts over {} s; next attempt in {} ms: {}",
          name,
          attempt,
          TimeUnit.NANOSECONDS.toSeconds(now - failingSince),
          wait.toMillis(),
          e.toString());
    } else {
      LOG.debug("[{}] attempt {} failed; next in {} ms: {}", name, attempt, wait.toMillis(), e);
    }
    sleep(wait);
  }

  /** Waits, waking early only to stop. */
  private void sleep(Duration wait) {
    long end = System.nanoTime() + saturatedNanos(wait);
    long left;
    while (!stopping && (left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
    }
    // A stop interrupts the thread; the flag has done its work.
    Thread.interrupted();
  }

  private void park() {
    long wait = POLL_NANOS;
    long since = pendingSince.get();
    if (since != 0) {
      wait = Math.min(wait, Math.max(0, intervalNanos - (System.nanoTime() - since)));
    }
    if (wait > 0) {
      LockSupport.parkNanos(this, wait);
    }
  }

  /** Reads records from where the last batch ended, up to the batch limits. */
  private Batch read() {
    Batch batch = new Batch(name);
    Instant receivedAt = owner.now();
    while (batch.records < policy.batchSize() && batch.bytes < policy.batchBytes()) {
      if (current == null && !openNext()) {
        break;
      }
      byte[] record;
      try {
        if (!reader.hasNext()) {
          batch.completed.add(current);
          closeReader();
          continue;
        }
        record = reader.next();
      } catch (SpoolException e) {
        // The file cannot be read (it was removed, the disk fails, or stop() interrupted the read):
        // load what was read, keep the segment, and let the next start's recovery replay it.
        if (!stopping) {
          LOG.error(
              "[{}] cannot read spooled segment {}; it stays in the spool for the next start",
              name,
              current,
              e);
        }
        closeReader();
        continue;
      }
      currentRecords++;
      currentBytes += record.length + 8L;
      batch.add(record, receivedAt, owner);
    }
    // A segment whose last record is in this batch is released with it, not one batch later.
    if (current != null && currentRecords >= current.recordCount() && !reader.hasNext()) {
      batch.completed.add(current);
      closeReader();
    }
    batch.logSkipped();
    skippedRecords.addAndGet(batch.skipped);
    rejectedEvents.addAndGet(batch.rejected);
    return batch;
  }

  private boolean openNext() {
    for (SealedSegment s : spool.sealed()) {
      if (s.id() > lastOpenedId) {
        lastOpenedId = s.id();
        try {
          reader = s.reader();
        } catch (SpoolException e) {
          LOG.error("[{}] cannot open spooled segment {}; it stays in the spool", name, s, e);
          continue;
        }
        current = s;
        currentRecords = 0;
        currentBytes = 0;
        return true;
      }
    }
    return false;
  }

  private void closeReader() {
    if (reader != null) {
      try {
        reader.close();
      } catch (RuntimeException e) {
        LOG.debug("[{}] closing a segment reader failed", name, e);
      }
    }
    reader = null;
    current = null;
  }

  private void release(List<SealedSegment> segments) {
    synchronized (releaseLock) {
      if (abandoned) {
        return;
      }
      for (SealedSegment s : segments) {
        try {
          spool.release(s);
          releasedSegments.incrementAndGet();
          LOG.debug("[{}] released {}", name, s);
        } catch (SpoolException e) {
          // Its records are committed; the next start replays them and the merge skips them.
          LOG.error("[{}] cannot release {}; it is replayed on the next start", name, s, e);
        }
      }
    }
  }

  private static long lastId(List<SealedSegment> sealed) {
    return sealed.isEmpty() ? Long.MIN_VALUE : sealed.get(sealed.size() - 1).id();
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** The decoded records of one batch, per source, and the segments it completes. */
  private static final class Batch {
    final String name;
    final Map<String, Group> groups = new TreeMap<>();
    final List<SealedSegment> completed = new ArrayList<>();
    int records;
    long bytes;
    long validEvents;
    long skipped;
    long rejected;
    String firstSkip;
    String firstReject;

    Batch(String name) {
      this.name = name;
    }

    void add(byte[] record, Instant receivedAt, SegmentRedshift owner) {
      records++;
      bytes += record.length;
      EventRecord decoded;
      try {
        decoded = EventRecord.decode(record);
      } catch (SpoolException e) {
        skip(e.getMessage());
        return;
      }
      String source = decoded.source();
      if (!owner.acceptsSource(source)) {
        skip("source " + printable(source) + " is not a schema name this warehouse accepts");
        return;
      }
      Group group = groups.computeIfAbsent(source, s -> new Group());
      try {
        group.events.add(EventValidator.complete(decoded.event(), receivedAt));
        validEvents++;
      } catch (MalformedEventException x) {
        Event e = decoded.event();
        group.rejected.add(
            new RejectedEvent(
                group.events.size() + group.rejected.size(),
                e.messageId(),
                x.reason(),
                x.pointer(),
                x.detail()));
        rejected++;
        if (firstReject == null) {
          firstReject = x.reason() + " at " + x.pointer();
        }
      }
    }

    private void skip(String why) {
      skipped++;
      if (firstSkip == null) {
        firstSkip = why;
      }
    }

    void logSkipped() {
      if (skipped > 0) {
        LOG.warn(
            "[{}] {} spooled records skipped, never loaded (the first: {})",
            name,
            skipped,
            firstSkip);
      }
      if (rejected > 0) {
        LOG.warn(
            "[{}] {} spooled events break Segment's rules and are not loaded (the first: {})",
            name,
            rejected,
            firstReject);
      }
    }

    /** Loads each source not yet committed; a failure leaves the committed ones committed. */
    void load(SegmentRedshift owner) {
      for (Map.Entry<String, Group> e : groups.entrySet()) {
        Group g = e.getValue();
        if (g.committed) {
          continue;
        }
        owner.loadBatch(e.getKey(), g.batchId, g.events, g.rejected);
        g.committed = true;
        // Its events are no longer needed; a retry of the batch loads the other sources only.
        g.events = List.of();
      }
    }
  }

  /** One source's part of a batch: loaded as a batch of its own, with an id kept across retries. */
  private static final class Group {
    final String batchId = LoadPipeline.newBatchId();
    List<Event> events = new ArrayList<>();
    final List<RejectedEvent> rejected = new ArrayList<>();
    boolean committed;
  }

  /** A source name in a log line: cut, and control characters replaced. */
  private static String printable(String text) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length() && i < 64; i++) {
      char c = text.charAt(i);
      b.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? '?' : c);
    }
    return "\"" + (text.length() > 64 ? b.append("...") : b) + "\"";
  }
}
