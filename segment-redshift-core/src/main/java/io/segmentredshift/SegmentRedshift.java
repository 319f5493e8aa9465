package io.segmentredshift;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
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
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: loads Segment events into Amazon Redshift or PostgreSQL, laid out like Segment's
 * own warehouse sync.
 *
 * <pre>{@code
 * try (SegmentRedshift segment =
 *     SegmentRedshift.builder(dataSource).schema("segment_prod").build()) {
 *   LoadResult result = segment.load(events);
 *   result.rows("tracks");       // new rows in tracks
 *   result.rejectedEvents();     // events that broke Segment's rules, not loaded
 * }
 * }</pre>
 *
 * <p>{@link #load} is synchronous: it validates the events, creates or widens tables as the data
 * needs, stages the rows with the configured {@link Loader} and merges them in one transaction
 * (dedup on messageId, users and accounts, {@code _discards}, the {@code _loads} ledger), retrying
 * conflicts and broken connections. When it returns, the batch is committed; when it throws,
 * nothing of it is. Loading the same events again adds nothing.
 *
 * <p>Thread-safe: batches may be loaded from several threads, each on its own connection.
 */
public final class SegmentRedshift implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentRedshift.class);

  private final String name;
  private final Dialect dialect;
  private final String schema;
  private final LoadPipeline pipeline;
  private final LoadListener listener;
  private final Clock clock;
  private volatile boolean closed;

  private SegmentRedshift(Builder b, Dialect dialect, Loader loader) {
    this.name = b.name;
    this.dialect = dialect;
    this.schema = b.schema;
    this.listener = b.listener;
    this.clock = b.clock;
    SchemaEvolver evolver = new SchemaEvolver(b.warehouse, dialect, b.schema, b.columnBudget);
    this.pipeline =
        new LoadPipeline(b.name, b.warehouse, evolver, loader, b.retry, b.dedupWindow, b.clock);
  }

  /** A builder for an instance that loads into {@code warehouse}. */
  public static Builder builder(DataSource warehouse) {
    return new Builder(warehouse);
  }

  /**
   * Loads {@code events} as one batch and returns what it did. Each event is first completed and
   * checked as Segment does on receipt ({@link EventValidator#complete}): a missing {@code
   * messageId} is derived from the content (so a retried message gets the same id), a missing
   * {@code receivedAt} is now, a missing {@code timestamp} is computed. Events that break Segment's
   * rules are not loaded and are listed in {@link LoadResult#rejectedEvents()}.
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
    String batchId = LoadPipeline.newBatchId();
    try {
      LoadResult result = pipeline.load(batchId, valid, rejected);
      listener.loaded(result);
      return result;
    } catch (SegmentRedshiftException e) {
      listener.failed(batchId, events.size(), e);
      throw e;
    }
  }

  /** The instance name, which prefixes its log lines. */
  public String name() {
    return name;
  }

  /** The warehouse's dialect (given or detected). */
  public Dialect dialect() {
    return dialect;
  }

  /** The schema the events are loaded into. */
  public String schema() {
    return schema;
  }

  /** The loader that stages the rows. */
  public Loader loader() {
    return pipeline.loader();
  }

  /**
   * Stops accepting batches and ends the threads that lay out large batches; a load in progress
   * finishes. The DataSource is the caller's.
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      pipeline.close();
      LOG.info("[{}] closed", name);
    }
  }

  @Override
  public String toString() {
    return "SegmentRedshift{" + name + ", " + dialect + ", schema " + schema + "}";
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
     * The schema to load into (default {@code segment}): one per Segment source, a lowercase
     * snake_case name such as {@code segment_prod}.
     */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema == null");
      return this;
    }

    /**
     * How rows are staged. Default: on PostgreSQL with pgjdbc, prepared INSERT for tables of fewer
     * than 1000 rows and COPY FROM STDIN above ({@link Loader#automatic}); otherwise prepared
     * INSERT, which is slow on Redshift: give Redshift an {@code S3CopyLoader}.
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
     * The instance. Connects once to detect the dialect when none was given.
     *
     * @throws LoadException when the dialect must be detected and the warehouse cannot be reached
     *     or is neither Redshift nor PostgreSQL
     */
    public SegmentRedshift build() {
      Dialect d = dialect != null ? dialect : detect(warehouse);
      Loader l = loader != null ? loader : defaultLoader(d);
      SegmentRedshift instance = new SegmentRedshift(this, d, l);
      if (loader == null && d == Dialect.redshift()) {
        LOG.warn(
            "[{}] no loader configured: prepared INSERT is slow on Redshift; configure an"
                + " S3CopyLoader",
            name);
      }
      LOG.info("[{}] started: {}, schema {}, loader {}", name, d, schema, l.name());
      return instance;
    }

    private static Loader defaultLoader(Dialect d) {
      if (d == Dialect.postgres() && pgjdbcPresent()) {
        return Loader.automatic(new PreparedInsertLoader(), new PostgresCopyLoader(), 1000);
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
