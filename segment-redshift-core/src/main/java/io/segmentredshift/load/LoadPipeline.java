package io.segmentredshift.load;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.load.LoadException.Reason;
import io.segmentredshift.schema.BatchSchema;
import io.segmentredshift.schema.EventRows;
import io.segmentredshift.schema.LoadRow;
import io.segmentredshift.schema.ResolvedSchema;
import io.segmentredshift.schema.SchemaEvolutionException;
import io.segmentredshift.schema.SchemaEvolver;
import io.segmentredshift.schema.WarehouseLayout;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load path behind {@code SegmentRedshift.load}: lays a batch out in two passes, evolves the
 * schema, dedups the rows, has the {@link Loader} write them (straight into the targets, or into
 * staging tables that a merge then reads), and retries what can be retried. Applications use {@code
 * SegmentRedshift}; this class is public so that the library's other entry points (the spool's
 * flusher, backfill) share it.
 *
 * <p>Per attempt: one connection. Directly (PostgreSQL, whose primary keys make the write exact,
 * with a {@link Loader#direct() direct} loader): one transaction locks the targets, probes which
 * ids they have, has the loader write the others into them and commits (one commit per batch).
 * Staged (Redshift, or a loader that is not direct): the staging tables are created and filled in
 * one transaction, then the merge transaction runs, drops them and commits (two commits per batch,
 * whatever the number of tables). Then the loader's clean-ups run. Retryable failures ({@link
 * LoadException#retryable()}) start a new attempt on a new connection after the {@link
 * RetryPolicy}'s backoff; rows the warehouse refused are quarantined to {@code _discards} and the
 * rest is staged again at once; anything else fails the batch and nothing of it is committed.
 *
 * <p>A batch of {@value #PARALLEL_FROM_EVENTS} events or more is laid out on up to {@value
 * #MAX_THREADS} threads (one per core, the caller's included); the helper threads are daemons named
 * after the instance, end when idle for 30 seconds, and end at {@link #close()}.
 *
 * <p>Thread-safe: batches may load concurrently (each on its own connection).
 */
public final class LoadPipeline {
  /** How often rows may be refused and quarantined before the batch fails. */
  static final int MAX_QUARANTINE_ROUNDS = 10;

  /** From this many events a batch is laid out and coerced in chunks spread over threads. */
  static final int PARALLEL_FROM_EVENTS = 2000;

  /** The most threads that lay out one batch, the caller's included (at most one per core). */
  static final int MAX_THREADS = 4;

  /**
   * Chunks per thread: threads take chunks as they come free, so a thread the shared machine holds
   * back delays only a small part of the batch.
   */
  static final int CHUNKS_PER_THREAD = 4;

  private static final Logger LOG = LoggerFactory.getLogger(LoadPipeline.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String name;
  private final DataSource dataSource;
  private final Dialect dialect;
  private final SchemaEvolver evolver;
  private final WarehouseLayout layout;
  private final Loader loader;
  private final RetryPolicy retry;
  private final Clock clock;
  private final Merge merge;
  private final boolean direct;
  private final Chunks chunks;

  /**
   * A load path.
   *
   * @param name the instance name, prefixed to log lines
   * @param dataSource connections to the warehouse
   * @param evolver the schema evolver of the target schema (its dialect is used throughout)
   * @param loader writes the rows into the targets or the staging tables
   * @param retry how retryable failures are retried
   * @param dedupWindow on Redshift, how far before a batch's earliest {@code received_at} the merge
   *     looks for ids already loaded (PostgreSQL's primary key makes the check exact)
   * @param clock load times ({@code uuid_ts}, {@code _loads})
   */
  public LoadPipeline(
      String name,
      DataSource dataSource,
      SchemaEvolver evolver,
      Loader loader,
      RetryPolicy retry,
      Duration dedupWindow,
      Clock clock) {
    this(
        name,
        dataSource,
        evolver,
        loader,
        retry,
        dedupWindow,
        clock,
        Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
  }

  /** A load path that lays out large batches on {@code threads} threads, the caller's included. */
  LoadPipeline(
      String name,
      DataSource dataSource,
      SchemaEvolver evolver,
      Loader loader,
      RetryPolicy retry,
      Duration dedupWindow,
      Clock clock,
      int threads) {
    this.name = Objects.requireNonNull(name, "name == null");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource == null");
    this.evolver = Objects.requireNonNull(evolver, "evolver == null");
    this.loader = Objects.requireNonNull(loader, "loader == null");
    this.retry = Objects.requireNonNull(retry, "retry == null");
    Objects.requireNonNull(dedupWindow, "dedupWindow == null");
    if (dedupWindow.isNegative()) {
      throw new IllegalArgumentException("dedupWindow < 0: " + dedupWindow);
    }
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.dialect = evolver.dialect();
    this.layout = new WarehouseLayout(dialect);
    this.merge = new Merge(dialect, evolver.schema(), dedupWindow, clock);
    // Straight into the targets where the primary key makes the dedup exact (PostgreSQL).
    this.direct = dialect.enforcesPrimaryKey() && loader.direct();
    // No thread starts before the first large batch.
    this.chunks = new Chunks(this.name, threads);
  }

  /** The loader. */
  public Loader loader() {
    return loader;
  }

  /**
   * Ends the threads that lay out large batches (they also end on their own when idle). A batch in
   * progress finishes, and a batch loaded afterwards is laid out on the calling thread.
   */
  public void close() {
    chunks.close();
  }

  /**
   * Loads {@code events} (already validated) as one batch and returns what it did.
   *
   * @param batchId the batch's id ({@link #newBatchId()}; 16 to 64 letters, digits, {@code _} or
   *     {@code -}), unique per batch: the ledger uses it to tell a retry of a committed batch
   * @param events the events to load
   * @param rejected the events of the batch refused before (reported in the result)
   * @throws LoadException when the batch fails, schema evolution included when its cause is a
   *     conflict or a broken connection; nothing of the batch is committed
   * @throws SchemaEvolutionException when the schema cannot be brought up to the batch for another
   *     reason
   */
  public LoadResult load(String batchId, List<Event> events, List<RejectedEvent> rejected) {
    Objects.requireNonNull(batchId, "batchId == null");
    if (!batchId.matches("[0-9A-Za-z_-]{16,64}")) {
      throw new IllegalArgumentException(
          "batchId is not 16 to 64 letters, digits, '_' or '-': " + batchId);
    }
    Objects.requireNonNull(events, "events == null");
    Objects.requireNonNull(rejected, "rejected == null");
    Instant startedAt = clock.instant();
    Instant loadedAt = startedAt.truncatedTo(ChronoUnit.MICROS);
    int eventCount = events.size() + rejected.size();
    if (events.isEmpty()) {
      LoadResult empty =
          new LoadResult(
              batchId,
              "none",
              startedAt,
              clock.instant(),
              eventCount,
              Map.of(),
              0,
              rejected,
              List.of(),
              List.of(),
              0);
      log(empty);
      return empty;
    }
    Batch batch = null;
    // Per table, the rows handed to the loader in the last attempt: what load errors name.
    Map<String, List<LoadRow>> handed = new LinkedHashMap<>();
    int rounds = 0;
    for (int attempt = 1; ; attempt++) {
      try {
        if (batch == null) {
          long t0 = System.nanoTime();
          batch = prepare(events, loadedAt);
          LOG.debug(
              "[{}] batch {}: laid out and schema ready in {} ms",
              name,
              batchId,
              (System.nanoTime() - t0) / 1_000_000);
        }
        handed.clear();
        LoadResult result =
            attempt(batch, batchId, startedAt, eventCount, rejected, attempt, handed);
        log(result);
        return result;
      } catch (LoadException e) {
        if (e.reason() == Reason.ROWS_REJECTED && rounds < MAX_QUARANTINE_ROUNDS) {
          rounds++;
          attempt--;
          evolver.invalidate();
          batch.quarantine(e.errors(), handed);
          LOG.warn(
              "[{}] batch {}: the warehouse refused {} row(s), quarantined to _discards: {}",
              name,
              batchId,
              e.errors().size(),
              e.errors());
          continue;
        }
        if (!e.retryable() || attempt >= retry.maxAttempts()) {
          evolver.invalidate();
          LOG.warn(
              "[{}] batch {} failed after {} attempt(s): {}",
              name,
              batchId,
              attempt,
              e.getMessage());
          throw e;
        }
        LOG.info(
            "[{}] batch {}: attempt {} failed, retrying: {}",
            name,
            batchId,
            attempt,
            e.getMessage());
        pause(attempt, batchId);
      } catch (SchemaEvolutionException e) {
        LoadException cause = retryableCause(e);
        if (cause == null) {
          throw e;
        }
        if (attempt >= retry.maxAttempts()) {
          LOG.warn(
              "[{}] batch {} failed after {} attempt(s): {}",
              name,
              batchId,
              attempt,
              cause.getMessage());
          throw new LoadException(
              cause.reason(),
              true,
              "[" + name + "] batch " + batchId + ": " + cause.getMessage(),
              e);
        }
        LOG.info(
            "[{}] batch {}: schema attempt {} failed, retrying: {}",
            name,
            batchId,
            attempt,
            cause.getMessage());
        pause(attempt, batchId);
      }
    }
  }

  /**
   * Pass 1, schema evolution, pass 2 and dedup. Each event is laid out once: pass 2 reads the rows
   * pass 1 made, and lets go of each event's as it turns them into load rows. A large batch is cut
   * into chunks that the cores lay out and coerce at once (the warehouse waits anyway); the chunks'
   * summaries add up to what one pass gives ({@link BatchSchema#addAll}), and rows are deduplicated
   * in batch order, so the result does not depend on the chunks.
   */
  private Batch prepare(List<Event> events, Instant loadedAt) {
    Event[] all = events.toArray(new Event[0]);
    int n = all.length;
    int threads = n < PARALLEL_FROM_EVENTS ? 1 : chunks.parallelism();
    int parts = threads == 1 ? 1 : CHUNKS_PER_THREAD * threads;
    EventRows[] laidOut = new EventRows[n];
    BatchSchema[] needs = new BatchSchema[parts];
    chunks.run(
        parts,
        k -> {
          BatchSchema part = new BatchSchema(dialect);
          for (int i = from(k, parts, n), end = from(k + 1, parts, n); i < end; i++) {
            laidOut[i] = layout.rows(all[i], loadedAt);
            part.add(laidOut[i]);
          }
          needs[k] = part;
        });
    for (int k = 1; k < parts; k++) {
      needs[0].addAll(needs[k]);
    }
    ResolvedSchema resolved = evolver.evolve(needs[0]);
    List<List<LoadRow>> rows = new ArrayList<>(Collections.nCopies(n, null));
    chunks.run(
        parts,
        k -> {
          for (int i = from(k, parts, n), end = from(k + 1, parts, n); i < end; i++) {
            rows.set(i, resolved.rows(laidOut[i]));
            laidOut[i] = null;
          }
        });
    // Dedup in batch order, whatever the chunks: of an id's rows received at the same instant
    // the later one is kept.
    Batch batch = new Batch(resolved, loadedAt);
    for (int i = 0; i < n; i++) {
      for (LoadRow row : rows.get(i)) {
        batch.add(row);
      }
      rows.set(i, null);
    }
    return batch;
  }

  /** The first event of chunk {@code k} of {@code parts} over {@code n} events. */
  private static int from(int k, int parts, int n) {
    return (int) ((long) n * k / parts);
  }

  private LoadResult attempt(
      Batch batch,
      String batchId,
      Instant startedAt,
      int eventCount,
      List<RejectedEvent> rejected,
      int attempt,
      Map<String, List<LoadRow>> handed) {
    List<Staged> staged = new ArrayList<>();
    List<String> created = new ArrayList<>();
    boolean dropped = false;
    Connection c = null;
    String step = "connecting";
    long t0 = System.nanoTime();
    try {
      c = dataSource.getConnection();
      if (direct) {
        step = "merging";
        Merge.Outcome outcome =
            merge.runDirect(c, batch, loader, batchId, eventCount, startedAt, staged, handed);
        dropped = true;
        LOG.debug(
            "[{}] batch {}: written and merged in {} ms",
            name,
            batchId,
            (System.nanoTime() - t0) / 1_000_000);
        return result(batch, batchId, startedAt, eventCount, rejected, attempt, outcome);
      }
      // Staging is one transaction: one commit for all staging tables, whatever their number.
      c.setAutoCommit(false);
      Map<String, String> staging = new LinkedHashMap<>();
      // Fresh names per attempt: a pooled session may still hold an earlier attempt's tables.
      String prefix = "sr_stage_" + newBatchId().substring(0, 16) + "_";
      int n = 0;
      for (Batch.Rows rows : batch.tables()) {
        if (rows.isEmpty()) {
          continue;
        }
        String table = rows.table().name();
        String stagingName = prefix + n++;
        step = "creating the staging table of " + table;
        try (Statement st = c.createStatement()) {
          st.execute(dialect.createStaging(stagingName, evolver.schema(), table));
        }
        created.add(stagingName);
        step = "staging " + table + " with " + loader.name();
        handed.put(table, rows.list());
        staged.add(
            loader.stage(
                StagingTable.of(c, dialect, stagingName, rows.table(), rows.list(), batchId)));
        staging.put(table, stagingName);
      }
      step = "committing the staging tables";
      c.commit();
      SortedSet<String> loaders = new TreeSet<>();
      List<Long> copyIds = new ArrayList<>();
      for (Staged s : staged) {
        loaders.add(s.loader());
        copyIds.addAll(s.copyQueryIds());
      }
      String loaderLabel = loaders.isEmpty() ? "none" : String.join("+", loaders);
      step = "merging";
      long t1 = System.nanoTime();
      Merge.Outcome outcome =
          merge.run(
              c, batch, staging, created, batchId, loaderLabel, copyIds, eventCount, startedAt);
      dropped = true;
      LOG.debug(
          "[{}] batch {}: staged in {} ms, merged in {} ms",
          name,
          batchId,
          (t1 - t0) / 1_000_000,
          (System.nanoTime() - t1) / 1_000_000);
      return result(batch, batchId, startedAt, eventCount, rejected, attempt, outcome);
    } catch (SQLException e) {
      throw Failures.wrap("[" + name + "] batch " + batchId + ": " + step, e, c);
    } finally {
      if (c != null) {
        if (!dropped) {
          drop(c, created);
        }
        close(c);
      }
      for (Staged s : staged) {
        try {
          s.cleanup().run();
        } catch (RuntimeException e) {
          LOG.warn("[{}] batch {}: cleaning up after {} failed", name, batchId, s.loader(), e);
        }
      }
    }
  }

  private static LoadResult result(
      Batch batch,
      String batchId,
      Instant startedAt,
      int eventCount,
      List<RejectedEvent> rejected,
      int attempt,
      Merge.Outcome outcome) {
    return new LoadResult(
        batchId,
        outcome.loader(),
        startedAt,
        outcome.finishedAt(),
        eventCount,
        outcome.counts(),
        outcome.discards(),
        rejected,
        batch.quarantined(),
        outcome.copyQueryIds(),
        attempt);
  }

  /** Drops the staging tables after a failed attempt, in one transaction. */
  private void drop(Connection c, List<String> staging) {
    try {
      if (c.isClosed()) {
        return;
      }
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      if (staging.isEmpty()) {
        // A direct attempt made no tables: the rollback is all there is to undo.
        c.setAutoCommit(true);
        return;
      }
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String s : staging) {
          st.execute(dialect.dropStaging(s));
        }
      }
      c.commit();
      c.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.debug("[{}] dropping staging tables failed (the session's end drops them)", name, e);
    }
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("closing a connection failed", e);
    }
  }

  private void pause(int attempt, String batchId) {
    try {
      retry.pause(attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoadException(
          Reason.INTERRUPTED, false, "[" + name + "] batch " + batchId + ": interrupted", e);
    }
  }

  /** The retryable database failure behind a schema evolution failure, or null. */
  private static LoadException retryableCause(SchemaEvolutionException e) {
    if (e.getCause() instanceof SQLException s) {
      LoadException wrapped = Failures.wrap("evolving the schema", s, null);
      return wrapped.retryable() ? wrapped : null;
    }
    return null;
  }

  private void log(LoadResult r) {
    LOG.info(
        "[{}] batch {} loaded: {} events ({} rejected), {} rows in {} tables, {} discards,"
            + " {} quarantined, loader {}, {} attempt(s), {} ms",
        name,
        r.batchId(),
        r.eventCount(),
        r.rejectedEvents().size(),
        r.totalRows(),
        r.rows().size(),
        r.discards(),
        r.loadErrors().size(),
        r.loader(),
        r.attempts(),
        r.duration().toMillis());
  }

  /** A new batch id: 128 random bits in hex. */
  public static String newBatchId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
