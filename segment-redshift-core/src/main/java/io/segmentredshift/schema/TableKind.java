package io.segmentredshift.schema;

import io.segmentredshift.typemap.ColumnType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kinds of table in a warehouse schema laid out like Segment's, with each kind's standard
 * columns. Standard columns keep Segment's names and types and are created with the table, in the
 * order listed; a trait or property can never write into one.
 */
public enum TableKind {
  /** {@code tracks}: every track call, common columns only. */
  TRACKS("tracks", List.of("event", "event_text")),
  /** One table per track event name: the common columns plus one per property. */
  EVENT(null, List.of("event", "event_text")),
  /** {@code identifies}: every identify call; traits as columns. */
  IDENTIFIES("identifies", List.of()),
  /** {@code users}: one row per user id, derived from identifies (latest non-null trait). */
  USERS("users", List.of()),
  /** {@code pages}: every page call; properties as columns. */
  PAGES("pages", List.of("name", "category")),
  /** {@code screens}: every screen call; properties as columns. */
  SCREENS("screens", List.of("name")),
  /** {@code groups}: every group call; traits as columns. */
  GROUPS("groups", List.of("group_id")),
  /** {@code accounts}: one row per group id, derived from groups (latest non-null trait). */
  ACCOUNTS("accounts", List.of()),
  /** {@code aliases}: every alias call. */
  ALIASES("aliases", List.of("previous_id")),
  /** {@code _discards}: values that did not reach their column, with the reason. */
  DISCARDS("_discards", List.of()),
  /** {@code _loads}: one row per committed batch (the load ledger). */
  LOADS("_loads", List.of()),
  /** {@code _columns}: the name map, source path to column, per table. */
  COLUMNS("_columns", List.of());

  private final String fixedName;
  private final List<Column> standardColumns;
  private final Set<String> standardNames;

  TableKind(String fixedName, List<String> specific) {
    this.fixedName = fixedName;
    this.standardColumns = Collections.unmodifiableList(columns(fixedName, specific));
    this.standardNames =
        standardColumns.stream().map(Column::name).collect(Collectors.toUnmodifiableSet());
  }

  /** Column types; a holder class, since enum constants are built before an enum's statics. */
  private static final class Types {
    static final ColumnType ID = ColumnType.varchar(512);
    static final ColumnType STRING = ColumnType.varchar(512);
    static final ColumnType LONG_TEXT = ColumnType.varchar(65535);
    static final ColumnType NAME = ColumnType.varchar(127);
    static final ColumnType HASH = ColumnType.varchar(64);
  }

  private static List<Column> columns(String fixedName, List<String> specific) {
    List<Column> c = new ArrayList<>();
    if (fixedName == null || !fixedName.startsWith("_")) {
      boolean derived = "users".equals(fixedName) || "accounts".equals(fixedName);
      c.add(new Column("id", Types.ID));
      if (derived) {
        c.add(new Column("received_at", ColumnType.TIMESTAMP));
        c.add(new Column("uuid_ts", ColumnType.TIMESTAMP));
        return c;
      }
      c.add(new Column("anonymous_id", Types.STRING));
      c.add(new Column("user_id", Types.STRING));
      for (String name : specific) {
        c.add(new Column(name, Types.STRING));
      }
      c.add(new Column("timestamp", ColumnType.TIMESTAMP));
      c.add(new Column("original_timestamp", ColumnType.TIMESTAMP));
      c.add(new Column("sent_at", ColumnType.TIMESTAMP));
      c.add(new Column("received_at", ColumnType.TIMESTAMP));
      c.add(new Column("uuid_ts", ColumnType.TIMESTAMP));
      return c;
    }
    switch (fixedName) {
      case "_discards" -> {
        c.add(new Column("id", Types.HASH));
        c.add(new Column("table_name", Types.NAME));
        c.add(new Column("column_name", Types.NAME));
        c.add(new Column("source_path", Types.LONG_TEXT));
        c.add(new Column("row_id", Types.ID));
        c.add(new Column("received_at", ColumnType.TIMESTAMP));
        c.add(new Column("reason", Types.HASH));
        c.add(new Column("column_type", Types.HASH));
        c.add(new Column("raw_value", Types.LONG_TEXT));
        c.add(new Column("raw_value_truncated", ColumnType.BOOLEAN));
        c.add(new Column("uuid_ts", ColumnType.TIMESTAMP));
      }
      case "_loads" -> {
        c.add(new Column("batch_id", Types.HASH));
        c.add(new Column("loader", Types.HASH));
        c.add(new Column("event_count", ColumnType.BIGINT));
        c.add(new Column("discard_count", ColumnType.BIGINT));
        c.add(new Column("table_counts", Types.LONG_TEXT));
        c.add(new Column("copy_query_ids", Types.LONG_TEXT));
        c.add(new Column("started_at", ColumnType.TIMESTAMP));
        c.add(new Column("finished_at", ColumnType.TIMESTAMP));
      }
      case "_columns" -> {
        c.add(new Column("table_name", Types.NAME));
        c.add(new Column("column_name", Types.NAME));
        c.add(new Column("path_hash", Types.HASH));
        c.add(new Column("source_path", Types.LONG_TEXT));
        c.add(new Column("created_at", ColumnType.TIMESTAMP));
      }
      default -> throw new AssertionError(fixedName);
    }
    return c;
  }

  /** The table's name for every kind but {@link #EVENT}, whose name comes from the event. */
  public String fixedName() {
    return fixedName;
  }

  /** The standard columns, in table order. */
  public List<Column> standardColumns() {
    return standardColumns;
  }

  /** True when {@code column} is one of this kind's standard columns. */
  public boolean isStandard(String column) {
    return standardNames.contains(column);
  }

  /** True for the tables whose rows are Segment calls keyed by messageId. */
  public boolean callTable() {
    return fixedName == null || !(derived() || system());
  }

  /** True for {@link #USERS} and {@link #ACCOUNTS}, which are computed from another table. */
  public boolean derived() {
    return this == USERS || this == ACCOUNTS;
  }

  /** True for the library's own tables ({@code _discards}, {@code _loads}, {@code _columns}). */
  public boolean system() {
    return this == DISCARDS || this == LOADS || this == COLUMNS;
  }

  /** The table a derived table is computed from ({@link #IDENTIFIES} for users), else null. */
  public TableKind source() {
    return switch (this) {
      case USERS -> IDENTIFIES;
      case ACCOUNTS -> GROUPS;
      default -> null;
    };
  }

  /** The derived table computed from this one ({@link #USERS} for identifies), else null. */
  public TableKind derivedTable() {
    return switch (this) {
      case IDENTIFIES -> USERS;
      case GROUPS -> ACCOUNTS;
      default -> null;
    };
  }

  /**
   * The column of the source table that keys a derived table's rows ({@code user_id} for users,
   * {@code group_id} for accounts), else null.
   */
  public String sourceKey() {
    return switch (this) {
      case USERS -> "user_id";
      case ACCOUNTS -> "group_id";
      default -> null;
    };
  }

  /** The key columns: unique per row (enforced on PostgreSQL, kept unique by the merge). */
  public List<String> primaryKey() {
    return switch (this) {
      case LOADS -> List.of("batch_id");
      case COLUMNS -> List.of("table_name", "path_hash");
      default -> List.of("id");
    };
  }

  /** The kind of a fixed-name table called {@code name}, or null (an event table or unknown). */
  public static TableKind ofFixedName(String name) {
    for (TableKind kind : values()) {
      if (name.equals(kind.fixedName)) {
        return kind;
      }
    }
    return null;
  }
}
