package io.segmentredshift.schema;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.schema.BatchSchema.TableNeeds;
import io.segmentredshift.typemap.ColumnType;
import io.segmentredshift.typemap.ColumnType.Kind;
import io.segmentredshift.typemap.TypeMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Diffs what a batch needs against what the warehouse has and the name map, and plans: the names of
 * new columns (claims), their types, and the DDL. Pure: reads only its arguments.
 *
 * <p>Nothing is ever dropped or narrowed: existing columns keep their types, and a varchar only
 * gets wider.
 */
final class SchemaPlanner {
  /** The plan: DDL in order, new claims, and what the touched tables look like afterwards. */
  record Plan(
      List<String> statements,
      List<NameMap.Claim> claims,
      Map<String, TableSchema> tables,
      Map<String, Map<String, String>> columns,
      Map<String, Integer> excluded) {}

  static final TableKind[] SYSTEM = {TableKind.COLUMNS, TableKind.DISCARDS, TableKind.LOADS};

  private final Dialect dialect;
  private final Identifiers identifiers;
  private final TypeMapper types;
  private final String schema;
  private final int budget;

  SchemaPlanner(Dialect dialect, String schema, int budget) {
    this.dialect = dialect;
    this.identifiers = Identifiers.of(dialect);
    this.types = dialect.typeMapper();
    this.schema = schema;
    this.budget = budget;
  }

  /** Every table a batch may touch: its own, the derived ones, the library's. */
  static SortedSet<String> tablesFor(BatchSchema batch) {
    SortedSet<String> names = new TreeSet<>(batch.tableNames());
    for (TableKind kind : SYSTEM) {
      names.add(kind.fixedName());
    }
    for (TableNeeds needs : batch.tables().values()) {
      TableKind derived = needs.kind.derivedTable();
      if (derived != null) {
        names.add(derived.fixedName());
      }
    }
    return names;
  }

  Plan plan(BatchSchema batch, Catalog catalog, NameMap names) {
    State s = new State(catalog, names);
    boolean baseMissing = false;
    for (TableKind kind : SYSTEM) {
      baseMissing |= catalog.table(kind.fixedName()) == null;
    }
    if (baseMissing) {
      s.statements.add(dialect.createSchema(schema));
    }
    for (TableKind kind : SYSTEM) {
      TableSchema existing = catalog.table(kind.fixedName());
      if (existing == null) {
        existing = TableSchema.standard(kind);
        s.statements.addAll(dialect.createTable(schema, existing));
      }
      s.tables.put(existing.name(), existing);
    }
    for (TableNeeds needs : batch.tables().values()) {
      planTable(s, needs);
    }
    for (TableNeeds needs : batch.tables().values()) {
      TableKind derived = needs.kind.derivedTable();
      if (derived != null) {
        planDerived(s, derived, needs);
      }
    }
    return new Plan(
        List.copyOf(s.statements), List.copyOf(s.claims), s.tables, s.columns, s.excluded);
  }

  private void planTable(State s, TableNeeds needs) {
    String table = needs.name;
    TableKind kind = needs.kind;
    TableSchema existing = s.catalog.table(table);
    NameMap.TableClaims claims = s.names.table(table);
    Map<String, ColumnType> columns = new LinkedHashMap<>();
    if (existing != null) {
      for (Column c : existing.columns()) {
        columns.put(c.name(), c.type());
      }
    }
    List<Column> added = new ArrayList<>();
    List<Column> widened = new ArrayList<>();
    for (Column standard : kind.standardColumns()) {
      FieldStats stats = needs.standard.get(standard.name());
      int longest = stats == null ? 0 : stats.longest;
      ColumnType current = columns.get(standard.name());
      if (current == null) {
        ColumnType type = types.widen(standardType(standard.type()), longest);
        columns.put(standard.name(), type);
        added.add(new Column(standard.name(), type));
      } else {
        widen(columns, widened, standard.name(), current, longest);
      }
    }
    Set<String> taken = new HashSet<>(claims.pathByColumn.keySet());
    for (Column standard : kind.standardColumns()) {
      taken.add(standard.name());
    }
    Set<String> inUse = new HashSet<>(columns.keySet());
    inUse.addAll(claims.pathByColumn.keySet());
    int dropped =
        existing == null ? 0 : Math.max(0, s.catalog.slots(table) - existing.columns().size());
    int room = Math.max(0, budget - inUse.size() - dropped);
    Map<String, String> mapping = new HashMap<>();
    int excluded = 0;
    for (FieldStats field : needs.fields) {
      if (field.kind == null) {
        // Every value was text no warehouse stores; the values go to _discards, no column.
        continue;
      }
      String column = claims.columnByPath.get(field.path);
      if (column == null) {
        String candidate = field.name;
        if (taken.contains(candidate)) {
          candidate = distinct(candidate, field.path, taken);
        }
        if (!columns.containsKey(candidate)) {
          if (room == 0) {
            excluded++;
            continue;
          }
          room--;
        }
        taken.add(candidate);
        s.claims.add(new NameMap.Claim(table, field.path, candidate));
        s.newPaths.computeIfAbsent(table, t -> new HashMap<>()).put(candidate, field.path);
        column = candidate;
      }
      mapping.put(field.path, column);
      ColumnType current = columns.get(column);
      if (current == null) {
        ColumnType type = types.newColumn(field.kind, field.longest);
        columns.put(column, type);
        added.add(new Column(column, type));
      } else {
        widen(columns, widened, column, current, field.longest);
      }
    }
    if (excluded > 0 || needs.overflow) {
      s.excluded.put(table, excluded + (needs.overflow ? 1 : 0));
    }
    s.columns.put(table, mapping);
    s.tables.put(table, emit(s, table, kind, existing, columns, added, widened));
  }

  /**
   * A derived table (users, accounts) mirrors its source's trait columns with the same names and
   * types, so the merge can copy values across without a cast.
   */
  private void planDerived(State s, TableKind kind, TableNeeds sourceNeeds) {
    String table = kind.fixedName();
    TableSchema existing = s.catalog.table(table);
    TableSchema source = s.tables.get(sourceNeeds.name);
    if (existing == null && !sourceNeeds.feedsDerived) {
      return;
    }
    Map<String, String> paths = new HashMap<>(s.names.table(source.name()).pathByColumn);
    paths.putAll(s.newPaths.getOrDefault(source.name(), Map.of()));
    Map<String, ColumnType> wanted = new TreeMap<>();
    for (Column c : source.columns()) {
      String path = paths.get(c.name());
      if (path != null
          && path.startsWith("/traits/")
          && !kind.isStandard(c.name())
          && c.type().kind() != Kind.OTHER) {
        wanted.put(c.name(), c.type());
      }
    }
    Map<String, ColumnType> columns = new LinkedHashMap<>();
    if (existing != null) {
      for (Column c : existing.columns()) {
        columns.put(c.name(), c.type());
      }
    }
    List<Column> added = new ArrayList<>();
    List<Column> widened = new ArrayList<>();
    for (Column standard : kind.standardColumns()) {
      if (!columns.containsKey(standard.name())) {
        ColumnType type = standardType(standard.type());
        columns.put(standard.name(), type);
        added.add(new Column(standard.name(), type));
      }
    }
    int dropped =
        existing == null ? 0 : Math.max(0, s.catalog.slots(table) - existing.columns().size());
    int room = Math.max(0, budget - columns.size() - dropped);
    int excluded = 0;
    for (Map.Entry<String, ColumnType> e : wanted.entrySet()) {
      ColumnType current = columns.get(e.getKey());
      ColumnType want = e.getValue();
      if (current == null) {
        if (room == 0) {
          excluded++;
          continue;
        }
        room--;
        columns.put(e.getKey(), want);
        added.add(new Column(e.getKey(), want));
      } else if (current.kind() == Kind.VARCHAR
          && want.kind() == Kind.VARCHAR
          && !current.unbounded()
          && want.width() > current.width()) {
        columns.put(e.getKey(), want);
        widened.add(new Column(e.getKey(), want));
      }
    }
    if (excluded > 0) {
      s.excluded.put(table, excluded);
    }
    s.tables.put(table, emit(s, table, kind, existing, columns, added, widened));
  }

  /** The DDL for one table and the table as it will be. */
  private TableSchema emit(
      State s,
      String table,
      TableKind kind,
      TableSchema existing,
      Map<String, ColumnType> columns,
      List<Column> added,
      List<Column> widened) {
    if (existing == null) {
      List<Column> all = new ArrayList<>(kind.standardColumns().size() + added.size());
      List<Column> dynamic = new ArrayList<>();
      for (Column c : added) {
        if (kind.isStandard(c.name())) {
          all.add(c);
        } else {
          dynamic.add(c);
        }
      }
      dynamic.sort(Comparator.comparing(Column::name));
      all.addAll(dynamic);
      TableSchema created = new TableSchema(table, kind, all);
      s.statements.addAll(dialect.createTable(schema, created));
      return created;
    }
    added.sort(Comparator.comparing(Column::name));
    widened.sort(Comparator.comparing(Column::name));
    s.statements.addAll(dialect.addColumns(schema, table, added));
    for (Column c : widened) {
      s.statements.add(dialect.widenColumn(schema, table, c));
    }
    List<Column> after = new ArrayList<>(existing.columns().size() + added.size());
    for (Column c : existing.columns()) {
      after.add(new Column(c.name(), columns.get(c.name())));
    }
    after.addAll(added);
    return new TableSchema(table, existing.kind(), after);
  }

  private void widen(
      Map<String, ColumnType> columns,
      List<Column> widened,
      String name,
      ColumnType current,
      int longest) {
    ColumnType wider = types.widen(current, longest);
    if (!wider.equals(current)) {
      columns.put(name, wider);
      widened.add(new Column(name, wider));
    }
  }

  /** A standard column's type in this dialect (a string column is {@code text} on PostgreSQL). */
  private ColumnType standardType(ColumnType type) {
    return type.kind() == Kind.VARCHAR && types.maxWidth() == ColumnType.UNBOUNDED
        ? ColumnType.TEXT
        : type;
  }

  /** A name for {@code path} that no other source owns: the candidate with a hash of the path. */
  private String distinct(String candidate, String path, Set<String> taken) {
    String name = identifiers.suffixed(candidate, path);
    for (int attempt = 1; taken.contains(name); attempt++) {
      name = identifiers.suffixed(candidate, path + "#" + attempt);
    }
    return name;
  }

  /** Working state of one planning run. */
  private static final class State {
    final Catalog catalog;
    final NameMap names;
    final List<String> statements = new ArrayList<>();
    final List<NameMap.Claim> claims = new ArrayList<>();
    final Map<String, Map<String, String>> newPaths = new HashMap<>();
    final Map<String, TableSchema> tables = new TreeMap<>();
    final Map<String, Map<String, String>> columns = new TreeMap<>();
    final Map<String, Integer> excluded = new TreeMap<>();

    State(Catalog catalog, NameMap names) {
      this.catalog = catalog;
      this.names = names;
    }
  }
}
