package io.segmentredshift;

import io.segmentredshift.auth.SignatureVerifier;
import io.segmentredshift.auth.WriteKeys;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventLimits;
import io.segmentredshift.event.EventValidator;
import io.segmentredshift.event.MalformedEventException;
import io.segmentredshift.load.LoadException;
import io.segmentredshift.load.LoadListener;
import io.segmentredshift.load.LoadPipeline;
import io.segmentredshift.load.LoadResult;
import io.segmentredshift.load.Loader;
import io.segmentredshift.load.RejectedEvent;
import io.segmentredshift.load.RetryPolicy;
import io.segmentredshift.load.insert.PreparedInsertLoader;
import io.segmentredshift.load.pgcopy.PostgresCopyLoader;
import io.segmentredshift.schema.SchemaEvolver;
import io.segmentredshift.spool.Spool;
import io.segmentredshift.spool.SpoolConfig;
import io.segmentredshift.spool.SpoolStats;
import io.segmentredshift.webhook.EventSink;
import io.segmentredshift.webhook.Health;
import io.segmentredshift.webhook.WebhookHandler;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: receives Segment events and loads them into Amazon Redshift or PostgreSQL, laid
 * out like Segment's own warehouse sync.
 *
 * <pre>{@code
 * try (SegmentRedshift segment =
 *     SegmentRedshift.builder(dataSource)
 *         .schema("segment_prod")                 // the default source's schema
 *         .spool(Path.of("/var/lib/segment/spool"))
 *         .secrets("segment-shared-secret")       // Segment's Webhooks destination
 *         .writeKey("wk_live_123")                // the Tracking API (analytics-* libraries)
 *         .writeKey("wk_live_456", "segment_app") // another source, another schema
 *         .build();
 *     SegmentNettyServer server =
 *         SegmentNettyServer.builder(segment.webhookHandler()).port(8080).start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Over HTTP.</b> {@link #webhookHandler()} answers Segment's webhooks and the Tracking API
 * (WEBHOOK.md). With a {@linkplain Builder#spool(Path) spool}, an event is acknowledged once it is
 * durable in the spool, and a background flusher loads the spool in batches (by count, bytes and
 * age), retrying while the warehouse is down and releasing spooled segments only once their events
 * are committed (PIPELINE.md). Without a spool, each request is loaded before it is answered.
 *
 * <p><b>From code.</b> {@link #load} is synchronous: it validates the events, creates or widens
 * tables as the data needs, stages the rows with the configured {@link Loader} and merges them in
 * one transaction (dedup on messageId, users and accounts, {@code _discards}, the {@code _loads}
 * ledger), retrying conflicts and broken connections. When it returns, the batch is committed; when
 * it throws, nothing of it is. Loading the same events again adds nothing.
 *
 * <p><b>Sources.</b> Every event belongs to a source, and a source is loaded into the schema of the
 * same name: {@link Builder#schema} is the default source (signed webhooks, {@link #load}), and
 * each write key names its own.
 *
 * <p>Thread-safe: batches may be loaded from several threads, each on its own connection. {@link
 * #close()} drains the spool within {@link Builder#closeTimeout}.
 */
public final class SegmentRedshift implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentRedshift.class);

  /**
   * The default PostgreSQL loader COPYs a table of this many rows or more and INSERTs smaller ones.
   * Binary COPY straight into the target costs one round trip per table, so it wins from a few
   * dozen rows: with the realistic mix (about 50 event tables of about 100 rows per batch of
   * 10,000) the end-to-end benchmark loaded 200,000 events at 8,314 events/s with 1000 here and at
   * 12,208 to 12,905 with 1 or 50 in the same session.
   */
  static final int COPY_FROM_ROWS = 50;

  private final String name;
  private final Dialect dialect;
  private final String schema;
  private final DataSource warehouse;
  private final Loader loader;
  private final RetryPolicy retry;
  private final Duration dedupWindow;
  private final int columnBudget;
  private final LoadListener listener;
  private final Clock clock;
  private final Duration closeTimeout;
  private final Map<String, LoadPipeline> pipelines = new ConcurrentHashMap<>();
  private final Map<String, Boolean> usableSources = new ConcurrentHashMap<>();
  private final Spool spool;
  private final Flusher flusher;
  private final SynchronousSink synchronousSink;
  private final WebhookHandler.Builder handlerBuilder;
  private WebhookHandler handler;
  private volatile boolean closed;
  private volatile Instant lastLoadAt;
  private volatile ErrorNote lastError;

  /** The last error, for health. */
  private record ErrorNote(Instant at, String message) {}

  private SegmentRedshift(
      Builder b, Dialect dialect, Loader loader, FlushPolicy policy, Map<String, String> keys) {
    this.name = b.name;
    this.dialect = dialect;
    this.schema = b.schema;
    this.warehouse = b.warehouse;
    this.loader = loader;
    this.retry = b.retry;
    this.dedupWindow = b.dedupWindow;
    this.columnBudget = b.columnBudget;
    this.listener = b.listener;
    this.clock = b.clock;
    this.closeTimeout = b.closeTimeout;
    // The default source, and every source a write key names, must be usable schema names.
    pipeline(b.schema);
    for (String source : keys.values()) {
      pipeline(source);
    }
    WriteKeys writeKeys = keys.isEmpty() ? null : WriteKeys.of(keys);
    // Opened last: nothing after it can fail and leave the directory locked.
    if (b.spoolDir != null) {
      this.spool = Spool.open(b.spoolDir, b.spoolConfig);
      this.flusher = new Flusher(this, spool, policy);
      this.synchronousSink = null;
    } else {
      this.spool = null;
      this.flusher = null;
      this.synchronousSink = new SynchronousSink(this);
    }
    EventSink sink = flusher != null ? flusher.sink() : synchronousSink;
    WebhookHandler.Builder h =
        WebhookHandler.builder(sink).defaultSource(b.schema).health(this::health).clock(b.clock);
    if (b.secrets != null) {
      h.secrets(b.secrets);
    }
    if (writeKeys != null) {
      h.writeKeys(writeKeys);
    }
    if (b.limits != null) {
      h.limits(b.limits);
    }
    if (b.requestTimeout != null) {
      h.requestTimeout(b.requestTimeout);
    }
    if (b.unauthenticated) {
      h.allowUnauthenticated();
    }
    this.handlerBuilder = h;
  }

  /** A builder for an instance that loads into {@code warehouse}. */
  public static Builder builder(DataSource warehouse) {
    return new Builder(warehouse);
  }

  /**
   * Loads {@code events} into the {@linkplain #schema() default schema} as one batch and returns
   * what it did; it does not go through the spool. Each event is first completed and checked as
   * Segment does on receipt ({@link EventValidator#complete}): a missing {@code messageId} is
   * derived from the content (so a retried message gets the same id), a missing {@code receivedAt}
   * is now, a missing {@code timestamp} is computed. Events that break Segment's rules are not
   * loaded and are listed in {@link LoadResult#rejectedEvents()}.
   *
   * @throws LoadException when the batch cannot be loaded (after the retries the {@link
   *     RetryPolicy} allows); nothing of it is committed
   * @throws io.segmentredshift.schema.SchemaEvolutionException when the tables cannot be brought up
   *     to the batch
   */
  public LoadResult load(Collection<Event> events) {
    Objects.requireNonNull(events, "events == null");
    if (closed) {
      throw new LoadException(LoadException.Reason.CLOSED, false, "[" + name + "] is closed", null);
    }
    return loadNow(schema, LoadPipeline.newBatchId(), events);
  }

  /**
   * The HTTP handler for Segment's webhooks and the Tracking API, for an adapter (the servlet or
   * the Netty module) to serve. It stores accepted events in the spool, or loads them before it
   * answers when there is none; {@code GET /health} reports the spool's backlog and the last load
   * and error. The same handler on every call.
   *
   * @throws IllegalStateException when no secret and no write key was configured and {@link
   *     Builder#allowUnauthenticated()} was not called
   */
  public synchronized WebhookHandler webhookHandler() {
    if (handler == null) {
      handler = handlerBuilder.build();
    }
    return handler;
  }

  /**
   * What {@code GET /health} reports now: live until closed, the spool's backlog (zero without a
   * spool), when a load last committed, and the last failure of a load (kept after later successes;
   * compare the times).
   */
  public Health health() {
    ErrorNote e = lastError;
    long bytes = 0;
    long records = 0;
    boolean live = !closed;
    if (spool != null) {
      SpoolStats s = spool.stats();
      bytes = s.backlogBytes();
      records = s.backlogRecords();
      live = live && flusher.alive();
    }
    return new Health(
        live,
        bytes,
        records,
        lastLoadAt,
        e == null ? null : e.at(),
        e == null ? null : e.message());
  }

  /** The instance name, which prefixes its log lines. */
  public String name() {
    return name;
  }

  /** The warehouse's dialect (given or detected). */
  public Dialect dialect() {
    return dialect;
  }

  /** The schema of the default source. */
  public String schema() {
    return schema;
  }

  /** The loader that stages the rows. */
  public Loader loader() {
    return loader;
  }

  /**
   * Stops, draining what was accepted: the webhook handler refuses new requests (503, which Segment
   * retries) and lets those under way be answered; then the flusher seals the spool, loads
   * everything in it and releases it; without a spool, the loads under way finish. All of that
   * within {@link Builder#closeTimeout} (default 30 s): what is not loaded by then stays in the
   * spool and is loaded on the next start. Direct {@link #load} calls are refused from the start.
   * The DataSource is the caller's. Calling it again does nothing.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    LOG.info("[{}] closing", name);
    WebhookHandler h;
    synchronized (this) {
      h = handler;
    }
    if (h != null) {
      try {
        h.shutdown().get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        LOG.warn("[{}] requests still waiting for their answer at the close deadline", name);
      } catch (ExecutionException e) {
        LOG.warn("[{}] shutting down the webhook handler failed", name, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (flusher != null) {
      flusher.drain();
      if (!flusher.awaitStopped(Duration.ofNanos(remaining(deadline)))) {
        LOG.warn(
            "[{}] the spool was not drained within {} ms; {} events stay in it for the next start",
            name,
            closeTimeout.toMillis(),
            spool.stats().backlogRecords());
        flusher.stop();
        flusher.awaitStopped(Duration.ofSeconds(1));
      }
      spool.close();
    }
    if (synchronousSink != null && !synchronousSink.close(Duration.ofNanos(remaining(deadline)))) {
      LOG.warn("[{}] loads still running at the close deadline", name);
    }
    // Ends the threads that lay out large batches; a load still running finishes on its own.
    pipelines.values().forEach(LoadPipeline::close);
    LOG.info("[{}] closed", name);
  }

  @Override
  public String toString() {
    return "SegmentRedshift{" + name + ", " + dialect + ", schema " + schema + "}";
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /**
   * Validates {@code events} and loads them into {@code source}'s schema as batch {@code batchId};
   * the direct API's and the synchronous sink's path.
   */
  LoadResult loadNow(String source, String batchId, Collection<Event> events) {
    List<Event> valid = new ArrayList<>(events.size());
    List<RejectedEvent> rejected = new ArrayList<>();
    Instant receivedAt = clock.instant();
    int index = 0;
    for (Event e : events) {
      Objects.requireNonNull(e, "events has a null");
      try {
        valid.add(EventValidator.complete(e, receivedAt));
      } catch (MalformedEventException x) {
        rejected.add(new RejectedEvent(index, e.messageId(), x.reason(), x.pointer(), x.detail()));
      }
      index++;
    }
    try {
      return loadBatch(source, batchId, valid, rejected);
    } catch (SegmentRedshiftException e) {
      noteError(String.valueOf(e.getMessage()));
      listener.failed(batchId, events.size(), e);
      throw e;
    }
  }

  /** Loads validated events into {@code source}'s schema; tells the listener of a commit. */
  LoadResult loadBatch(
      String source, String batchId, List<Event> valid, List<RejectedEvent> rejected) {
    LoadResult result = pipeline(source).load(batchId, valid, rejected);
    lastLoadAt = result.finishedAt();
    listener.loaded(result);
    return result;
  }

  /** Whether {@code source} names a schema this instance can load into. */
  boolean acceptsSource(String source) {
    return usableSources.computeIfAbsent(
        source,
        s -> {
          try {
            pipeline(s);
            return true;
          } catch (IllegalArgumentException e) {
            return false;
          }
        });
  }

  /** The load path of one schema, made on first use; the schema name is checked here. */
  private LoadPipeline pipeline(String source) {
    LoadPipeline p = pipelines.get(source);
    if (p != null) {
      return p;
    }
    return pipelines.computeIfAbsent(
        source,
        s ->
            new LoadPipeline(
                name,
                warehouse,
                new SchemaEvolver(warehouse, dialect, s, columnBudget),
                loader,
                retry,
                dedupWindow,
                clock));
  }

  /** Records a failure for {@link #health()}. */
  void noteError(String message) {
    lastError = new ErrorNote(clock.instant(), message);
  }

  /** Now, by the instance's clock. */
  Instant now() {
    return clock.instant();
  }

  /** The flusher, or null without a spool; for tests. */
  Flusher flusher() {
    return flusher;
  }

  private void startFlusher() {
    if (flusher != null) {
      flusher.start();
    }
  }

  /** Builds a {@link SegmentRedshift}. */
  public static final class Builder {
    private final DataSource warehouse;
    private Dialect dialect;
    private String schema = "segment";
    private Loader loader;
    private String name = "segment-redshift";
    private LoadListener listener = LoadListener.NONE;
    private RetryPolicy retry = RetryPolicy.defaults();
    private Duration dedupWindow = Duration.ofDays(7);
    private int columnBudget = SchemaEvolver.DEFAULT_COLUMN_BUDGET;
    private Clock clock = Clock.systemUTC();
    private Path spoolDir;
    private SpoolConfig spoolConfig = SpoolConfig.defaults();
    private int batchSize;
    private long batchBytes;
    private Duration flushInterval;
    private Duration initialBackoff = FlushPolicy.INITIAL_BACKOFF;
    private Duration maxBackoff = FlushPolicy.MAX_BACKOFF;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private SignatureVerifier secrets;
    private final Map<String, String> writeKeys = new LinkedHashMap<>();
    private boolean unauthenticated;
    private EventLimits limits;
    private Duration requestTimeout;

    private Builder(DataSource warehouse) {
      this.warehouse = Objects.requireNonNull(warehouse, "warehouse == null");
    }

    /**
     * The warehouse's dialect. Without it, {@link #build()} asks the driver (a {@code
     * jdbc:redshift:} URL or a product name with "Redshift" is Redshift, "PostgreSQL" is
     * PostgreSQL); a PostgreSQL-compatible endpoint that is really Redshift needs it said here.
     */
    public Builder dialect(Dialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect == null");
      return this;
    }

    /**
     * The schema of the default source (default {@code segment}), a lowercase snake_case name such
     * as {@code segment_prod}: where {@link SegmentRedshift#load} loads, and the webhook handler's
     * signed webhooks and write keys given without a source go.
     */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema == null");
      return this;
    }

    /**
     * How rows are written. Default: on PostgreSQL with pgjdbc, prepared INSERT for tables of fewer
     * than {@value SegmentRedshift#COPY_FROM_ROWS} rows and COPY FROM STDIN above ({@link
     * Loader#automatic}); otherwise prepared INSERT, which is slow on Redshift: give Redshift an
     * {@code S3CopyLoader}.
     */
    public Builder loader(Loader loader) {
      this.loader = Objects.requireNonNull(loader, "loader == null");
      return this;
    }

    /** The instance name that prefixes log lines (default {@code segment-redshift}). */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name == null");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name is blank");
      }
      this.name = name;
      return this;
    }

    /** Told about every batch (default {@link LoadListener#NONE}). */
    public Builder loadListener(LoadListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener == null");
      return this;
    }

    /**
     * How conflicts and broken connections are retried (default {@link RetryPolicy#defaults()}).
     */
    public Builder retryPolicy(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry == null");
      return this;
    }

    /**
     * On Redshift, how far before a batch's earliest {@code received_at} the merge looks for
     * messageIds already loaded (default 7 days). A duplicate received longer before than that is
     * loaded again; a wider window makes every merge read more of the target. PostgreSQL's primary
     * key makes dedup exact, whatever this says.
     */
    public Builder dedupWindow(Duration dedupWindow) {
      Objects.requireNonNull(dedupWindow, "dedupWindow == null");
      if (dedupWindow.isNegative()) {
        throw new IllegalArgumentException("dedupWindow < 0: " + dedupWindow);
      }
      this.dedupWindow = dedupWindow;
      return this;
    }

    /** The most columns per table (default {@value SchemaEvolver#DEFAULT_COLUMN_BUDGET}). */
    public Builder columnBudget(int columnBudget) {
      if (columnBudget <= 0 || columnBudget > SchemaEvolver.MAX_COLUMNS) {
        throw new IllegalArgumentException(
            "columnBudget not in 1.." + SchemaEvolver.MAX_COLUMNS + ": " + columnBudget);
      }
      this.columnBudget = columnBudget;
      return this;
    }

    /**
     * The clock of load times ({@code uuid_ts}, {@code _loads}) and of {@code receivedAt} for
     * events that have none; default the UTC system clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Spools accepted events in {@code dir} with {@link SpoolConfig#defaults()}: see {@link
     * #spool(Path, SpoolConfig)}.
     */
    public Builder spool(Path dir) {
      return spool(dir, SpoolConfig.defaults());
    }

    /**
     * Spools the events the {@linkplain SegmentRedshift#webhookHandler() webhook handler} accepts
     * in {@code dir}: a request is answered once its events are durable there, and a background
     * flusher loads them in batches ({@link #batchSize}, {@link #batchBytes}, {@link
     * #flushInterval}). What the directory holds from an earlier run is loaded first. One instance
     * per directory. Without a spool the handler loads each request before it answers.
     */
    public Builder spool(Path dir, SpoolConfig config) {
      this.spoolDir = Objects.requireNonNull(dir, "dir == null");
      this.spoolConfig = Objects.requireNonNull(config, "config == null");
      return this;
    }

    /**
     * The most events per load from the spool. Default 10,000 on PostgreSQL, 25,000 on Redshift.
     * The flusher holds one batch on the heap, decoded, and the load path its rows besides: with
     * realistic traffic about 150 MiB of heap at the peak for 10,000 events, 200 MiB for 25,000
     * (PIPELINE.md), so size the heap with it.
     */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batchSize <= 0: " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * The most spooled bytes (about the events' JSON) per load from the spool. Default 16 MiB on
     * PostgreSQL, 32 MiB on Redshift.
     */
    public Builder batchBytes(long batchBytes) {
      if (batchBytes <= 0) {
        throw new IllegalArgumentException("batchBytes <= 0: " + batchBytes);
      }
      this.batchBytes = batchBytes;
      return this;
    }

    /**
     * The longest a spooled event waits before its load starts when no batch fills up sooner.
     * Default 2 s on PostgreSQL; 1 minute on Redshift, where every COPY has a fixed cost of seconds
     * and larger, rarer loads are cheaper.
     */
    public Builder flushInterval(Duration flushInterval) {
      Objects.requireNonNull(flushInterval, "flushInterval == null");
      if (flushInterval.isNegative() || flushInterval.isZero()) {
        throw new IllegalArgumentException("flushInterval <= 0: " + flushInterval);
      }
      this.flushInterval = flushInterval;
      return this;
    }

    /**
     * The waits between failed loads from the spool (once the {@link #retryPolicy} of the load
     * itself is exhausted): a random time between half and all of {@code min(max, initial *
     * 2^(n-1))} before attempt {@code n + 1}, for as long as the warehouse fails. Default 1 s to 30
     * s.
     */
    public Builder flushBackoff(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initial == null");
      Objects.requireNonNull(max, "max == null");
      if (initial.isNegative() || initial.isZero()) {
        throw new IllegalArgumentException("initial <= 0: " + initial);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max < initial: " + max + " < " + initial);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * How long {@link SegmentRedshift#close()} may take to answer the requests under way and drain
     * the spool (default 30 s); what is left then stays in the spool for the next start.
     */
    public Builder closeTimeout(Duration closeTimeout) {
      Objects.requireNonNull(closeTimeout, "closeTimeout == null");
      if (closeTimeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout < 0: " + closeTimeout);
      }
      this.closeTimeout = closeTimeout;
      return this;
    }

    /**
     * The shared secrets of Segment's Webhooks destinations (several while rotating): {@code
     * X-Signature} is then required on the webhook routes, whose events go to the default {@link
     * #schema}.
     */
    public Builder secrets(String... secrets) {
      this.secrets = SignatureVerifier.of(secrets);
      return this;
    }

    /** A write key of the Tracking API routes whose events go to the default {@link #schema}. */
    public Builder writeKey(String writeKey) {
      return writeKey(writeKey, null);
    }

    /**
     * A write key of the Tracking API routes whose events go to {@code source}, the schema of that
     * name (a lowercase snake_case name, checked by {@link #build()}); null means the default
     * {@link #schema}.
     */
    public Builder writeKey(String writeKey, String source) {
      Objects.requireNonNull(writeKey, "writeKey == null");
      if (writeKey.isEmpty()) {
        throw new IllegalArgumentException("writeKey is empty");
      }
      String old = writeKeys.putIfAbsent(writeKey, source == null ? "" : source);
      if (old != null && !old.equals(source == null ? "" : source)) {
        throw new IllegalArgumentException("a write key is given twice, with different sources");
      }
      return this;
    }

    /** Write keys and their sources, as {@link #writeKey(String, String)} for each. */
    public Builder writeKeys(Map<String, String> sourceByWriteKey) {
      Objects.requireNonNull(sourceByWriteKey, "sourceByWriteKey == null");
      sourceByWriteKey.forEach(this::writeKey);
      return this;
    }

    /**
     * Lets the webhook handler accept requests without a signature or write key: anyone who can
     * reach it may then write into the warehouse. For tests and trusted networks only.
     */
    public Builder allowUnauthenticated() {
      this.unauthenticated = true;
      return this;
    }

    /** The webhook handler's size and nesting limits (default {@link EventLimits#defaults()}). */
    public Builder limits(EventLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits == null");
      return this;
    }

    /**
     * The longest a client may take to send one request, headers and body (default 30 s): the
     * adapters answer 408 and close the connection after it, so a body trickling in a byte at a
     * time cannot hold a connection and its buffer for long; the servlet adapter also answers 503
     * when storing the events takes longer. See {@link WebhookHandler#requestTimeout()}.
     */
    public Builder requestTimeout(Duration requestTimeout) {
      Objects.requireNonNull(requestTimeout, "requestTimeout == null");
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout <= 0: " + requestTimeout);
      }
      this.requestTimeout = requestTimeout;
      return this;
    }

    /**
     * The instance. Connects once to detect the dialect when none was given. With a spool, opens it
     * (recovering what an earlier run left) and starts the flusher.
     *
     * @throws LoadException when the dialect must be detected and the warehouse cannot be reached
     *     or is neither Redshift nor PostgreSQL
     * @throws IllegalArgumentException when the schema or a write key's source is not a lowercase
     *     snake_case name within the dialect's limits
     * @throws io.segmentredshift.spool.SpoolException when the spool cannot be opened (another
     *     instance holds the directory, or it cannot be read)
     */
    public SegmentRedshift build() {
      Dialect d = dialect != null ? dialect : detect(warehouse);
      Loader l = loader != null ? loader : defaultLoader(d);
      Map<String, String> keys = new LinkedHashMap<>();
      writeKeys.forEach((key, source) -> keys.put(key, source.isEmpty() ? schema : source));
      FlushPolicy defaults = FlushPolicy.defaults(d);
      FlushPolicy policy =
          new FlushPolicy(
              batchSize > 0 ? batchSize : defaults.batchSize(),
              batchBytes > 0 ? batchBytes : defaults.batchBytes(),
              flushInterval != null ? flushInterval : defaults.flushInterval(),
              RetryPolicy.builder().initialBackoff(initialBackoff).maxBackoff(maxBackoff).build());
      SegmentRedshift instance = new SegmentRedshift(this, d, l, policy, keys);
      if (loader == null && d == Dialect.redshift()) {
        LOG.warn(
            "[{}] no loader configured: prepared INSERT is slow on Redshift; configure an"
                + " S3CopyLoader",
            name);
      }
      LOG.info(
          "[{}] started: {}, schema {}, loader {}, {}",
          name,
          d,
          schema,
          l.name(),
          spoolDir == null
              ? "no spool (requests load before they are answered)"
              : "spool " + spoolDir);
      instance.startFlusher();
      return instance;
    }

    private static Loader defaultLoader(Dialect d) {
      if (d == Dialect.postgres() && pgjdbcPresent()) {
        return Loader.automatic(
            new PreparedInsertLoader(), new PostgresCopyLoader(), COPY_FROM_ROWS);
      }
      return new PreparedInsertLoader();
    }

    private static boolean pgjdbcPresent() {
      try {
        Class.forName("org.postgresql.PGConnection", false, SegmentRedshift.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException e) {
        return false;
      }
    }

    static Dialect detect(DataSource warehouse) {
      try (Connection c = warehouse.getConnection()) {
        DatabaseMetaData meta = c.getMetaData();
        String url = String.valueOf(meta.getURL()).toLowerCase(Locale.ROOT);
        String product = String.valueOf(meta.getDatabaseProductName()).toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:redshift:") || product.contains("redshift")) {
          return Dialect.redshift();
        }
        if (product.contains("postgresql")) {
          return Dialect.postgres();
        }
        throw new LoadException(
            LoadException.Reason.CONFIGURATION,
            false,
            "the warehouse is neither Redshift nor PostgreSQL (" + product + "): set a dialect",
            null);
      } catch (SQLException e) {
        throw new LoadException(
            LoadException.Reason.CONNECTION,
            true,
            "connecting to detect the dialect failed (SQLSTATE " + e.getSQLState() + ")",
            e);
      }
    }
  }
}
