package io.segmentredshift.examples.server;

import io.segmentredshift.dialect.BackfillLedgerSql;
import io.segmentredshift.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Which archive files have been loaded to their end: the table {@value BackfillLedgerSql#TABLE} in
 * the warehouse schema, next to the data (see {@link BackfillLedgerSql}). A file is recorded after
 * its last batch has committed; a run stopped in the middle of a file loads it again from its
 * start, and dedup on messageId keeps the tables as they were.
 */
final class BackfillLedger {
  private final DataSource warehouse;
  private final Dialect dialect;
  private final String schema;
  private final BackfillLedgerSql sql;
  private final Set<String> loaded = new HashSet<>();

  BackfillLedger(DataSource warehouse, Dialect dialect, String schema) {
    this.warehouse = warehouse;
    this.dialect = dialect;
    this.schema = schema;
    this.sql = BackfillLedgerSql.of(dialect);
  }

  /** Creates the table if needed and reads what it holds. */
  void open() throws SQLException {
    try (Connection c = warehouse.getConnection()) {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        for (String statement : sql.create(schema)) {
          s.execute(statement);
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql.selectLoaded(schema))) {
        while (rs.next()) {
          loaded.add(identity(rs.getString(1), rs.getLong(2), rs.getString(3)));
        }
      }
    }
  }

  /** Whether this file, with this size and version, has been loaded. */
  boolean contains(ArchiveFile file) {
    return loaded.contains(identity(file.key(), file.size(), file.version()));
  }

  /** Records a file loaded to its end. */
  void record(ArchiveFile file, long events, long malformed, long discards, Instant at)
      throws SQLException {
    try (Connection c = warehouse.getConnection();
        PreparedStatement s = c.prepareStatement(sql.insert(schema))) {
      c.setAutoCommit(true);
      s.setString(1, file.key());
      s.setLong(2, file.size());
      s.setString(3, file.version());
      s.setString(4, file.location());
      s.setLong(5, events);
      s.setLong(6, malformed);
      s.setLong(7, discards);
      s.setObject(8, dialect.timestampParameter(at));
      s.executeUpdate();
    }
    loaded.add(identity(file.key(), file.size(), file.version()));
  }

  private static String identity(String key, long size, String version) {
    return key + '\n' + size + '\n' + version;
  }
}
