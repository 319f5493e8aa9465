package io.segmentredshift.schema;

import static io.segmentredshift.schema.TestWarehouse.LOADED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.typemap.JsonText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generated sections of LAYOUT.md are what the code produces: the standard columns of each
 * table, and the tables, columns, types and values of every sample. Run with {@code
 * -Dlayout.update=true} to rewrite them.
 */
class LayoutDocTest {
  private static final Path DOC = Path.of("LAYOUT.md");

  @Test
  void theDocumentedLayoutIsWhatTheCodeProduces() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    String updated = replace(doc, "standard-columns", standardColumns());
    updated = replace(updated, "samples", samples());
    if (Boolean.getBoolean("layout.update")) {
      Files.writeString(DOC, updated, StandardCharsets.UTF_8);
      doc = updated;
    }
    assertEquals(updated, doc, "LAYOUT.md differs from the code; run with -Dlayout.update=true");
  }

  private static String replace(String doc, String section, String body) {
    String begin = "<!-- BEGIN GENERATED " + section + " (LayoutDocTest) -->\n";
    String end = "<!-- END GENERATED " + section + " -->";
    int from = doc.indexOf(begin);
    int to = doc.indexOf(end);
    if (from < 0 || to < from) {
      throw new AssertionError("LAYOUT.md lacks the markers of section " + section);
    }
    return doc.substring(0, from + begin.length()) + body + doc.substring(to);
  }

  private static String standardColumns() {
    StringBuilder out = new StringBuilder();
    out.append("| table | standard columns (Redshift type; PostgreSQL: `text`, `timestamptz`) |\n");
    out.append("|---|---|\n");
    for (TableKind kind : TableKind.values()) {
      StringBuilder cols = new StringBuilder();
      for (Column c : kind.standardColumns()) {
        if (cols.length() > 0) {
          cols.append(", ");
        }
        cols.append('`').append(c.name()).append("` ").append(Dialect.redshift().sqlType(c.type()));
      }
      String name = kind.fixedName() == null ? "*event table*" : "`" + kind.fixedName() + "`";
      out.append("| ").append(name).append(" | ").append(cols).append(" |\n");
    }
    return out.toString();
  }

  private static String samples() {
    StringBuilder out = new StringBuilder();
    for (String file : Samples.FILES) {
      List<Event> events = Samples.load(file);
      out.append("#### `").append(file).append("`\n\n");
      Map<Dialect, SchemaPlanner.Plan> plans = new HashMap<>();
      Map<String, Object> firstValues = new HashMap<>();
      for (Dialect dialect : List.of(Dialect.redshift(), Dialect.postgres())) {
        BatchSchema needs = GoldenDdlTest.batch(dialect, events);
        Catalog catalog = new Catalog();
        for (String t : SchemaPlanner.tablesFor(needs)) {
          catalog.absent(t);
        }
        SchemaPlanner.Plan plan =
            new SchemaPlanner(dialect, "segment", SchemaEvolver.DEFAULT_COLUMN_BUDGET)
                .plan(needs, catalog, new NameMap());
        plans.put(dialect, plan);
        if (dialect == Dialect.redshift()) {
          ResolvedSchema resolved = new ResolvedSchema(dialect, plan.tables(), plan.columns());
          WarehouseLayout layout = new WarehouseLayout(dialect);
          for (Event e : events) {
            for (LoadRow row : resolved.rows(layout.rows(e, LOADED))) {
              for (int i = 0; i < row.size(); i++) {
                String key = row.table().name() + "." + row.table().columns().get(i).name();
                if (row.value(i) != null) {
                  firstValues.putIfAbsent(key, row.value(i));
                }
              }
            }
          }
        }
      }
      out.append("| table | column | Redshift | PostgreSQL | value |\n");
      out.append("|---|---|---|---|---|\n");
      SchemaPlanner.Plan redshift = plans.get(Dialect.redshift());
      SchemaPlanner.Plan postgres = plans.get(Dialect.postgres());
      for (TableSchema table : redshift.tables().values()) {
        if (table.kind().system()) {
          continue;
        }
        TableSchema pg = postgres.tables().get(table.name());
        for (Column c : table.columns()) {
          Object value = firstValues.get(table.name() + "." + c.name());
          String shown;
          if (table.kind().derived() && c.name().equals("id")) {
            shown = "*the `" + table.kind().sourceKey() + "`*";
          } else if (table.kind().derived() && !c.name().equals("uuid_ts")) {
            shown = "*merge: latest non-null from `" + table.kind().source().fixedName() + "`*";
          } else if (c.name().equals("uuid_ts")) {
            shown = "*load time*";
          } else {
            shown = value == null ? "" : cell(value);
          }
          out.append("| `")
              .append(table.name())
              .append("` | `")
              .append(c.name())
              .append("` | ")
              .append(Dialect.redshift().sqlType(c.type()))
              .append(" | ")
              .append(Dialect.postgres().sqlType(pg.column(c.name()).type()))
              .append(" | ")
              .append(shown)
              .append(" |\n");
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String cell(Object value) {
    String text =
        value instanceof String s
            ? s
            : value instanceof Instant i ? i.toString() : JsonText.write(value);
    if (text.length() > 70) {
      text = text.substring(0, 67) + "...";
    }
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`";
  }
}
