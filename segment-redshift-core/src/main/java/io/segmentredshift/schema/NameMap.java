package io.segmentredshift.schema;

import io.segmentredshift.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The name map: which source path owns which column, per table, as recorded in the warehouse's
 * {@code _columns} table. A claim is never changed or removed, so a later batch maps the same path
 * to the same column and no other path can take it. Standard columns are not claimed.
 */
final class NameMap {
  private static final int CHUNK = 500;

  /** One recorded claim. */
  record Claim(String table, String path, String column) {}

  /** The claims of one table. */
  static final class TableClaims {
    final Map<String, String> columnByPath = new HashMap<>();
    final Map<String, String> pathByColumn = new HashMap<>();

    void add(String path, String column) {
      columnByPath.put(path, column);
      pathByColumn.put(column, path);
    }
  }

  private final Map<String, TableClaims> tables = new HashMap<>();

  /** True when the claims of {@code table} were read. */
  boolean knows(String table) {
    return tables.containsKey(table);
  }

  /** The claims of {@code table} (empty when none were read). */
  TableClaims table(String table) {
    TableClaims t = tables.get(table);
    return t == null ? new TableClaims() : t;
  }

  /** Marks tables as read with no claims (a schema whose name map does not exist yet). */
  void none(Collection<String> names) {
    for (String name : names) {
      tables.putIfAbsent(name, new TableClaims());
    }
  }

  /** Forgets the claims of {@code names}. */
  void forget(Collection<String> names) {
    for (String name : names) {
      tables.remove(name);
    }
  }

  /** Forgets everything. */
  void clear() {
    tables.clear();
  }

  /** Adds claims to the cache (after recording them). */
  void add(List<Claim> claims) {
    for (Claim claim : claims) {
      tables
          .computeIfAbsent(claim.table(), t -> new TableClaims())
          .add(claim.path(), claim.column());
    }
  }

  /** Reads the claims of {@code names} afresh. */
  void read(Connection c, Dialect dialect, String schema, Collection<String> names)
      throws SQLException {
    List<String> list = new ArrayList<>(names);
    for (int from = 0; from < list.size(); from += CHUNK) {
      List<String> chunk = list.subList(from, Math.min(list.size(), from + CHUNK));
      Map<String, TableClaims> fresh = new HashMap<>();
      for (String name : chunk) {
        fresh.put(name, new TableClaims());
      }
      try (PreparedStatement ps = c.prepareStatement(dialect.selectNameMap(schema, chunk.size()))) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            fresh.get(rs.getString(1)).add(rs.getString(4), rs.getString(2));
          }
        }
      }
      tables.putAll(fresh);
    }
  }

  /** Records claims; the caller holds the name map lock and commits. */
  static void insert(Connection c, Dialect dialect, String schema, List<Claim> claims, Instant now)
      throws SQLException {
    TableSchema columns = TableSchema.standard(TableKind.COLUMNS);
    try (PreparedStatement ps = c.prepareStatement(dialect.insert(schema, columns))) {
      for (Claim claim : claims) {
        for (int i = 0; i < columns.columns().size(); i++) {
          switch (columns.columns().get(i).name()) {
            case "table_name" -> ps.setString(i + 1, claim.table());
            case "column_name" -> ps.setString(i + 1, claim.column());
            case "path_hash" -> ps.setString(i + 1, Identifiers.sha256(claim.path()));
            case "source_path" -> ps.setString(i + 1, claim.path());
            case "created_at" -> ps.setObject(i + 1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            default -> throw new AssertionError(columns.columns().get(i).name());
          }
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
