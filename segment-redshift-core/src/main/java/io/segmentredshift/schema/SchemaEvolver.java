package io.segmentredshift.schema;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.schema.SchemaEvolutionException.Reason;
import io.segmentredshift.schema.SchemaPlanner.Plan;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a warehouse schema up to what a batch needs: creates the schema, the library's tables
 * ({@code _columns}, {@code _discards}, {@code _loads}), missing tables and columns, and widens
 * varchars; records new column names in the name map. Nothing is ever dropped or narrowed.
 *
 * <p>{@link #plan} is a dry run; {@link #evolve} applies. Every DDL statement is logged at INFO on
 * the logger {@code io.segmentredshift.ddl}. The evolver caches the catalog and the name map and
 * reads them again when a table is missing from the cache, before it changes anything, and after an
 * error.
 *
 * <p>Several evolvers (threads, processes, machines) may work on one schema at once. New names are
 * claimed under a lock on {@code _columns}, so two evolvers give a new field the same column. DDL
 * runs with autocommit (Redshift widens varchars only outside a transaction block); when it fails
 * because another evolver got there first (the table or column already exists, a catalog race, a
 * serialization failure), the evolver reads the catalog again and plans again, so both succeed and
 * one set of columns is left.
 *
 * <p>Thread-safe; one instance per schema is enough for a process.
 */
public final class SchemaEvolver {
  /** The warehouses' hard limit of columns per table (Redshift and PostgreSQL). */
  public static final int MAX_COLUMNS = 1600;

  /**
   * The default column budget per table: below the hard limit, so that columns users add and
   * PostgreSQL's dropped columns (which still count) leave room, and so that a PostgreSQL row of
   * fixed-width columns stays within a page.
   */
  public static final int DEFAULT_COLUMN_BUDGET = 1000;

  static final int MAX_ATTEMPTS = 8;

  private static final Logger DDL = LoggerFactory.getLogger("io.segmentredshift.ddl");
  private static final Logger LOG = LoggerFactory.getLogger(SchemaEvolver.class);

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String schema;
  private final int columnBudget;
  private final SchemaPlanner planner;
  private final Catalog catalog = new Catalog();
  private final NameMap names = new NameMap();
  private final Set<String> warned = new HashSet<>();

  /** An evolver with the {@linkplain #DEFAULT_COLUMN_BUDGET default column budget}. */
  public SchemaEvolver(DataSource dataSource, Dialect dialect, String schema) {
    this(dataSource, dialect, schema, DEFAULT_COLUMN_BUDGET);
  }

  /**
   * An evolver.
   *
   * @param dataSource connections to the warehouse
   * @param dialect the warehouse's dialect
   * @param schema the schema (one per Segment source): a name that {@link Identifiers#sanitize}
   *     leaves as it is, e.g. {@code segment_prod}
   * @param columnBudget the most columns per table, at most {@value #MAX_COLUMNS}; values of fields
   *     beyond it go to {@code _discards}
   */
  public SchemaEvolver(DataSource dataSource, Dialect dialect, String schema, int columnBudget) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource == null");
    this.dialect = Objects.requireNonNull(dialect, "dialect == null");
    Objects.requireNonNull(schema, "schema == null");
    Identifiers ids = Identifiers.of(dialect);
    if (!ids.isSafe(schema) || !ids.sanitize(schema).equals(schema)) {
      throw new IllegalArgumentException(
          "schema is not a lowercase snake_case name within the dialect's limits: " + schema);
    }
    if (columnBudget <= 0 || columnBudget > MAX_COLUMNS) {
      throw new IllegalArgumentException(
          "columnBudget not in 1.." + MAX_COLUMNS + ": " + columnBudget);
    }
    this.schema = schema;
    this.columnBudget = columnBudget;
    this.planner = new SchemaPlanner(dialect, schema, columnBudget);
  }

  /** The schema this evolver works on. */
  public String schema() {
    return schema;
  }

  /** The dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /** The column budget per table. */
  public int columnBudget() {
    return columnBudget;
  }

  /**
   * The DDL that {@link #evolve} would run for {@code batch} now, and the tables afterwards. Reads
   * the catalog and the name map; writes nothing.
   */
  public synchronized SchemaPlan plan(BatchSchema batch) {
    Objects.requireNonNull(batch, "batch == null");
    SortedSet<String> tables = SchemaPlanner.tablesFor(batch);
    try (Connection c = dataSource.getConnection()) {
      load(c, tables, false);
    } catch (SQLException e) {
      forget(tables);
      throw new SchemaEvolutionException(Reason.CATALOG, "reading the catalog failed", e);
    }
    Plan plan = planner.plan(batch, catalog, names);
    return new SchemaPlan(plan.statements(), List.copyOf(plan.tables().values()));
  }

  /**
   * Applies what {@code batch} needs and returns the schema to load it into.
   *
   * @throws SchemaEvolutionException when the catalog cannot be read or a statement fails for a
   *     reason other than a concurrent change, or concurrent changes keep interfering
   */
  public synchronized ResolvedSchema evolve(BatchSchema batch) {
    Objects.requireNonNull(batch, "batch == null");
    SortedSet<String> tables = SchemaPlanner.tablesFor(batch);
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        load(c, tables, false);
        Plan plan = planner.plan(batch, catalog, names);
        if (!plan.statements().isEmpty() || !plan.claims().isEmpty()) {
          plan = apply(c, batch, tables);
        }
        if (!plan.statements().isEmpty() || !plan.claims().isEmpty()) {
          // Our DDL ran but the catalog still differs: someone else is changing these tables.
          forget(tables);
          backoff(attempt);
          continue;
        }
        warnAboutBudget(plan);
        return new ResolvedSchema(dialect, plan.tables(), plan.columns());
      } catch (SQLException e) {
        forget(tables);
        if (!dialect.isConcurrentDdl(e)) {
          throw new SchemaEvolutionException(
              Reason.DDL, "evolving schema " + schema + " failed: " + e.getMessage(), e);
        }
        LOG.debug(
            "Schema {}: a concurrent change interfered (attempt {}): {}",
            schema,
            attempt,
            e.getMessage());
        last = e;
        backoff(attempt);
      }
    }
    throw new SchemaEvolutionException(
        Reason.CONCURRENT_CHANGES,
        "schema " + schema + " kept changing under " + MAX_ATTEMPTS + " attempts",
        last);
  }

  /** Forgets the cached catalog and name map; the next call reads them again. */
  public synchronized void invalidate() {
    catalog.clear();
    names.clear();
  }

  /** Plans from a fresh catalog, claims new names, runs the DDL; returns the plan read back. */
  private Plan apply(Connection c, BatchSchema batch, SortedSet<String> tables)
      throws SQLException {
    load(c, tables, true);
    if (catalog.table(TableKind.COLUMNS.fixedName()) == null
        || catalog.table(TableKind.DISCARDS.fixedName()) == null
        || catalog.table(TableKind.LOADS.fixedName()) == null) {
      List<String> base = new ArrayList<>();
      base.add(dialect.createSchema(schema));
      for (TableKind kind : SchemaPlanner.SYSTEM) {
        if (catalog.table(kind.fixedName()) == null) {
          base.addAll(dialect.createTable(schema, TableSchema.standard(kind)));
        }
      }
      execute(c, base);
      load(c, tables, true);
    }
    Plan plan = planner.plan(batch, catalog, names);
    if (!plan.claims().isEmpty()) {
      claim(c, batch, tables);
      plan = planner.plan(batch, catalog, names);
    }
    if (plan.statements().isEmpty()) {
      return plan;
    }
    execute(c, plan.statements());
    catalog.read(c, dialect, schema, tables);
    return planner.plan(batch, catalog, names);
  }

  /**
   * Records the batch's new names under the name-map lock, after reading the claims and the catalog
   * again inside it, so that two evolvers never give one column to two sources.
   */
  private void claim(Connection c, BatchSchema batch, SortedSet<String> tables)
      throws SQLException {
    c.setAutoCommit(false);
    try {
      try (Statement st = c.createStatement()) {
        st.execute(dialect.lockNameMap(schema));
      }
      names.read(c, dialect, schema, tables);
      catalog.read(c, dialect, schema, tables);
      Plan plan = planner.plan(batch, catalog, names);
      if (!plan.claims().isEmpty()) {
        NameMap.insert(c, dialect, schema, plan.claims(), Instant.now());
      }
      c.commit();
      names.add(plan.claims());
      for (NameMap.Claim claim : plan.claims()) {
        DDL.info(
            "[{}] name map: {}.{} is column {}",
            schema,
            claim.table(),
            claim.path(),
            claim.column());
      }
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private void execute(Connection c, List<String> statements) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String sql : statements) {
        DDL.info("[{}] {}", schema, sql);
        st.execute(sql);
      }
    }
  }

  /**
   * Fills the caches for {@code tables}: only what is missing, or everything when {@code fresh}.
   */
  private void load(Connection c, SortedSet<String> tables, boolean fresh) throws SQLException {
    List<String> unknown = new ArrayList<>();
    for (String t : tables) {
      if (fresh || !catalog.knows(t)) {
        unknown.add(t);
      }
    }
    if (!unknown.isEmpty()) {
      catalog.read(c, dialect, schema, unknown);
    }
    List<String> unclaimed = new ArrayList<>();
    for (String t : tables) {
      if (fresh || !names.knows(t)) {
        unclaimed.add(t);
      }
    }
    if (unclaimed.isEmpty()) {
      return;
    }
    if (catalog.table(TableKind.COLUMNS.fixedName()) == null) {
      names.none(unclaimed);
    } else {
      names.read(c, dialect, schema, unclaimed);
    }
  }

  private void forget(SortedSet<String> tables) {
    catalog.forget(tables);
    names.forget(tables);
  }

  private void warnAboutBudget(Plan plan) {
    for (Map.Entry<String, Integer> e : plan.excluded().entrySet()) {
      if (warned.add(e.getKey())) {
        LOG.warn(
            "[{}] table {} is at its column budget of {}: values of new fields go to _discards"
                + " (reason COLUMN_BUDGET); logged once per table",
            schema,
            e.getKey(),
            columnBudget);
      }
    }
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25) * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaEvolutionException(Reason.CONCURRENT_CHANGES, "interrupted", e);
    }
  }
}
