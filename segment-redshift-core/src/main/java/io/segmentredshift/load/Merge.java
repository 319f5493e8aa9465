package io.segmentredshift.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.schema.Derivation;
import io.segmentredshift.schema.LoadRow;
import io.segmentredshift.schema.TableKind;
import io.segmentredshift.schema.TableSchema;
import io.segmentredshift.typemap.JsonText;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merge of a batch into its targets, in one transaction; with staging tables (below), or
 * writing straight into the targets ({@link #runDirect}):
 *
 * <ol>
 *   <li>{@code LOCK} every table the transaction writes, sorted by name (one order for every merge,
 *       so concurrent merges queue instead of deadlocking or failing serialization);
 *   <li>if the ledger already has the batch id, the batch was committed by an earlier attempt whose
 *       answer was lost: roll back and report that commit;
 *   <li>per call table and {@code _discards}, in name order: insert the rows (staged, or handed to
 *       the loader in the direct run) whose id the target lacks (on Redshift only target rows
 *       received within the dedup window before the batch's earliest {@code received_at} are
 *       compared; PostgreSQL's primary key makes it exact);
 *   <li>recompute the {@code users} and {@code accounts} rows of the batch's keys;
 *   <li>append the {@code _loads} row; drop the staging tables; commit.
 * </ol>
 */
final class Merge {
  private static final Logger LOG = LoggerFactory.getLogger(Merge.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  private final Dialect dialect;
  private final String schema;
  private final Duration dedupWindow;
  private final Clock clock;

  Merge(Dialect dialect, String schema, Duration dedupWindow, Clock clock) {
    this.dialect = dialect;
    this.schema = schema;
    this.dedupWindow = dedupWindow;
    this.clock = clock;
  }

  /** What a merge did. */
  record Outcome(
      String loader,
      Map<String, Long> counts,
      long discards,
      List<Long> copyQueryIds,
      Instant finishedAt) {}

  /**
   * Runs the merge on {@code c} (autocommit off before, on after) and drops the staging tables in
   * the same transaction (or leaves them after a failure).
   *
   * @param staging target table name to staging table name
   * @param drop the staging tables to drop before the commit
   */
  Outcome run(
      Connection c,
      Batch batch,
      Map<String, String> staging,
      List<String> drop,
      String batchId,
      String loader,
      List<Long> copyQueryIds,
      int eventCount,
      Instant startedAt)
      throws SQLException {
    try {
      try (Statement st = c.createStatement()) {
        st.execute(dialect.lockTables(schema, List.copyOf(locked(batch))));
      }
      Outcome prior = prior(c, batchId);
      if (prior != null) {
        c.rollback();
        dropStaging(c, drop);
        c.commit();
        // The commit being reported is the earlier attempt's: its loader, as the ledger has it.
        return prior;
      }
      Map<String, Long> counts = new TreeMap<>();
      boolean windowed = !dialect.enforcesPrimaryKey();
      for (Batch.Rows rows : batch.tables()) {
        if (rows.isEmpty()) {
          continue;
        }
        TableSchema table = rows.table();
        String sql = dialect.insertNew(schema, table, staging.get(table.name()), windowed);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          if (windowed) {
            ps.setObject(1, dialect.timestampParameter(windowStart(rows.earliestReceivedAt())));
          }
          counts.put(table.name(), (long) ps.executeUpdate());
        }
      }
      for (Derivation d : batch.derivations()) {
        List<String> statements =
            dialect.refreshDerived(
                schema, d.table().kind(), d.columns(), null, staging.get(d.source().name()));
        long written = 0;
        try (Statement st = c.createStatement()) {
          for (String sql : statements) {
            written = st.executeUpdate(sql);
          }
        }
        counts.put(d.table().name(), written);
      }
      Outcome outcome = ledger(c, batchId, loader, counts, copyQueryIds, eventCount, startedAt);
      dropStaging(c, drop);
      c.commit();
      return outcome;
    } catch (SQLException | RuntimeException e) {
      rollback(c, e);
      throw e;
    } finally {
      if (!c.isClosed()) {
        c.setAutoCommit(true);
      }
    }
  }

  /**
   * The merge on a warehouse that enforces {@code PRIMARY KEY (id)} with a {@linkplain
   * Loader#direct() direct} loader: no staging table. After the lock and the ledger check it asks
   * which of the batch's ids the targets have ({@link Dialect#selectExistingIds}: one probe of the
   * key per id, all tables in one statement) and has the loader write the other rows straight into
   * the targets; the lock keeps every other writer out until the commit, so no id can arrive in
   * between. {@code users} and {@code accounts} are refreshed for the keys of the batch's rows,
   * given as an array. Runs on {@code c}, in its own transaction (autocommit on after).
   *
   * <p>An event table's row always comes with the {@code tracks} row of the same id, written in the
   * same transaction, so the first try probes an event table only for the ids found in {@code
   * tracks}. Only a change by hand can break that (rows deleted from {@code tracks}); the primary
   * key then refuses the write ({@code 23505}) and the merge runs again, probing every table.
   *
   * @param written filled with what the loader wrote, per table (for the clean-ups)
   * @param handed filled with the rows handed to the loader, per table (what load errors name)
   */
  Outcome runDirect(
      Connection c,
      Batch batch,
      Loader loader,
      String batchId,
      int eventCount,
      Instant startedAt,
      List<Staged> written,
      Map<String, List<LoadRow>> handed)
      throws SQLException {
    try {
      return runDirect(c, batch, loader, batchId, eventCount, startedAt, written, handed, false);
    } catch (InferenceMissed e) {
      LOG.debug("[{}] an event table had ids that tracks lacks; merging again, exactly", schema);
      handed.clear();
      return runDirect(c, batch, loader, batchId, eventCount, startedAt, written, handed, true);
    }
  }

  private Outcome runDirect(
      Connection c,
      Batch batch,
      Loader loader,
      String batchId,
      int eventCount,
      Instant startedAt,
      List<Staged> written,
      Map<String, List<LoadRow>> handed,
      boolean exact)
      throws SQLException {
    try {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute(dialect.lockTables(schema, List.copyOf(locked(batch))));
      }
      Outcome prior = prior(c, batchId);
      if (prior != null) {
        c.rollback();
        return prior;
      }
      Map<String, Set<String>> existing = existingIds(c, batch, exact);
      Map<String, Long> counts = new TreeMap<>();
      SortedSet<String> loaders = new TreeSet<>();
      for (Batch.Rows rows : batch.tables()) {
        if (rows.isEmpty()) {
          continue;
        }
        TableSchema table = rows.table();
        List<LoadRow> fresh = rows.without(existing.getOrDefault(table.name(), Set.of()));
        handed.put(table.name(), fresh);
        long count = 0;
        if (!fresh.isEmpty()) {
          Staged s;
          try {
            s = loader.stage(StagingTable.target(c, dialect, schema, table, fresh, batchId));
          } catch (SQLException e) {
            if (!exact && table.kind() == TableKind.EVENT && uniqueViolation(e)) {
              rollback(c, e);
              throw new InferenceMissed(e);
            }
            throw e;
          }
          written.add(s);
          loaders.add(s.loader());
          count = s.rows();
        }
        counts.put(table.name(), count);
      }
      for (Derivation d : batch.derivations()) {
        Array keys = c.createArrayOf("text", batch.keys(d.source().name(), d.table().kind()));
        long rewritten = 0;
        try {
          for (String sql : dialect.refreshDerived(schema, d.table().kind(), d.columns())) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setArray(1, keys);
              rewritten = ps.executeUpdate();
            }
          }
        } finally {
          keys.free();
        }
        counts.put(d.table().name(), rewritten);
      }
      String label = loaders.isEmpty() ? "none" : String.join("+", loaders);
      Outcome outcome = ledger(c, batchId, label, counts, List.of(), eventCount, startedAt);
      c.commit();
      return outcome;
    } catch (SQLException | RuntimeException e) {
      if (!(e instanceof InferenceMissed)) {
        rollback(c, e);
      }
      throw e;
    } finally {
      if (!c.isClosed()) {
        c.setAutoCommit(true);
      }
    }
  }

  /** An event table had an id that {@code tracks} lacks: the merge must probe every table. */
  private static final class InferenceMissed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InferenceMissed(SQLException cause) {
      super("an event table had an id that tracks lacks", cause, false, false);
    }
  }

  /** True when {@code e} (or one chained to it) is a unique violation ({@code 23505}). */
  private static boolean uniqueViolation(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      for (Throwable t = x; t != null; t = t.getCause()) {
        if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The ids of the batch that each table already has: every table probed for all its ids, except
   * (unless {@code exact}) event tables, probed only for the ids found in {@code tracks}. At most
   * two statements.
   */
  private Map<String, Set<String>> existingIds(Connection c, Batch batch, boolean exact)
      throws SQLException {
    Map<String, String[]> first = new LinkedHashMap<>();
    List<Batch.Rows> inferred = new ArrayList<>();
    for (Batch.Rows rows : batch.tables()) {
      if (rows.isEmpty()) {
        continue;
      }
      if (!exact && rows.table().kind() == TableKind.EVENT) {
        inferred.add(rows);
      } else {
        first.put(rows.table().name(), rows.ids());
      }
    }
    Map<String, Set<String>> found = probe(c, first);
    if (inferred.isEmpty()) {
      return found;
    }
    Set<String> inTracks = found.getOrDefault(TableKind.TRACKS.fixedName(), Set.of());
    Map<String, String[]> second = new LinkedHashMap<>();
    if (!inTracks.isEmpty()) {
      for (Batch.Rows rows : inferred) {
        List<String> ids = new ArrayList<>();
        for (String id : rows.ids()) {
          if (inTracks.contains(id)) {
            ids.add(id);
          }
        }
        if (!ids.isEmpty()) {
          second.put(rows.table().name(), ids.toArray(new String[0]));
        }
      }
    }
    found.putAll(probe(c, second));
    return found;
  }

  /** One statement: per table, which of its ids it has. */
  private Map<String, Set<String>> probe(Connection c, Map<String, String[]> idsByTable)
      throws SQLException {
    Map<String, Set<String>> found = new HashMap<>();
    if (idsByTable.isEmpty()) {
      return found;
    }
    List<String> tables = List.copyOf(idsByTable.keySet());
    List<Array> arrays = new ArrayList<>(tables.size());
    try (PreparedStatement ps = c.prepareStatement(dialect.selectExistingIds(schema, tables))) {
      for (int i = 0; i < tables.size(); i++) {
        Array array = c.createArrayOf("text", idsByTable.get(tables.get(i)));
        arrays.add(array);
        ps.setArray(i + 1, array);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found
              .computeIfAbsent(tables.get(rs.getInt(1)), t -> new HashSet<>())
              .add(rs.getString(2));
        }
      }
    } finally {
      for (Array a : arrays) {
        a.free();
      }
    }
    return found;
  }

  /** Appends the batch's {@code _loads} row; returns the outcome to report. */
  private Outcome ledger(
      Connection c,
      String batchId,
      String loader,
      Map<String, Long> counts,
      List<Long> copyQueryIds,
      int eventCount,
      Instant startedAt)
      throws SQLException {
    long discards = counts.getOrDefault(TableKind.DISCARDS.fixedName(), 0L);
    Instant finishedAt = clock.instant();
    TableSchema loads = TableSchema.standard(TableKind.LOADS);
    try (PreparedStatement ps = c.prepareStatement(dialect.insert(schema, loads))) {
      ps.setString(1, batchId);
      ps.setString(2, loader);
      ps.setLong(3, eventCount);
      ps.setLong(4, discards);
      ps.setString(5, JsonText.write(counts));
      ps.setString(6, JsonText.write(copyQueryIds));
      ps.setObject(7, dialect.timestampParameter(startedAt));
      ps.setObject(8, dialect.timestampParameter(finishedAt));
      ps.executeUpdate();
    }
    return new Outcome(loader, counts, discards, copyQueryIds, finishedAt);
  }

  private void dropStaging(Connection c, List<String> drop) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String name : drop) {
        st.execute(dialect.dropStaging(name));
      }
    }
  }

  /** Every table the merge writes, sorted: the lock order. */
  private static SortedSet<String> locked(Batch batch) {
    SortedSet<String> names = new TreeSet<>();
    for (Batch.Rows rows : batch.tables()) {
      if (!rows.isEmpty()) {
        names.add(rows.table().name());
      }
    }
    for (Derivation d : batch.derivations()) {
      names.add(d.table().name());
    }
    names.add(TableKind.LOADS.fixedName());
    return names;
  }

  private Instant windowStart(Instant earliest) {
    if (earliest == null) {
      return EARLIEST;
    }
    try {
      Instant start = earliest.minus(dedupWindow);
      return start.isBefore(EARLIEST) ? EARLIEST : start;
    } catch (DateTimeException | ArithmeticException e) {
      return EARLIEST;
    }
  }

  private Outcome prior(Connection c, String batchId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(dialect.selectLoad(schema))) {
      ps.setString(1, batchId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Map<String, Long> counts =
            JSON.readValue(rs.getString(1), new TypeReference<TreeMap<String, Long>>() {});
        List<Long> ids = JSON.readValue(rs.getString(2), new TypeReference<ArrayList<Long>>() {});
        return new Outcome(rs.getString(4), counts, rs.getLong(3), ids, clock.instant());
      }
    } catch (JsonProcessingException e) {
      throw new SQLException("the _loads row of batch " + batchId + " is not readable", "XX000", e);
    }
  }

  private static void rollback(Connection c, Throwable failure) {
    try {
      if (!c.isClosed()) {
        c.rollback();
      }
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
