package io.segmentredshift.schema;

import static io.segmentredshift.schema.TestWarehouse.LOADED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact DDL text for a representative batch (every sample), and for the batch after it (new
 * columns, a widened varchar, a derived column), against golden files. Run with {@code
 * -Dgolden.update=true} to rewrite them after an intended change, and review the diff.
 */
class GoldenDdlTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static BatchSchema batch(Dialect dialect, List<Event> events) {
    WarehouseLayout layout = new WarehouseLayout(dialect);
    BatchSchema needs = new BatchSchema(dialect);
    for (Event e : events) {
      needs.add(layout.rows(e, LOADED));
    }
    return needs;
  }

  static List<Event> samples() {
    return Samples.FILES.stream().flatMap(f -> Samples.load(f).stream()).toList();
  }

  static List<Event> secondBatch() {
    return List.of(
        Event.builder(EventType.TRACK)
            .messageId("second-1")
            .userId("97980cfea0067")
            .event("Order Completed")
            .properties(
                Map.of("giftWrap", true, "currency", "€".repeat(200), "coupon", "c".repeat(1500)))
            .receivedAt(Instant.parse("2024-03-07T00:00:00Z"))
            .build(),
        Event.builder(EventType.IDENTIFY)
            .messageId("second-2")
            .userId("019mr8mf4r")
            .traits(Map.of("lastName", "Smith"))
            .build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"redshift", "postgresql"})
  void ddlTextMatchesTheGoldenFiles(String dialectName) throws IOException {
    Dialect dialect = dialectName.equals("redshift") ? Dialect.redshift() : Dialect.postgres();
    SchemaPlanner planner =
        new SchemaPlanner(dialect, "segment", SchemaEvolver.DEFAULT_COLUMN_BUDGET);
    Catalog catalog = new Catalog();
    NameMap names = new NameMap();
    BatchSchema first = batch(dialect, samples());
    for (String t : SchemaPlanner.tablesFor(first)) {
      catalog.absent(t);
    }
    SchemaPlanner.Plan plan = planner.plan(first, catalog, names);
    check(dialectName + "-samples.sql", plan.statements());

    for (TableSchema t : plan.tables().values()) {
      catalog.put(t);
    }
    names.add(plan.claims());
    BatchSchema second = batch(dialect, secondBatch());
    for (String t : SchemaPlanner.tablesFor(second)) {
      if (!catalog.knows(t)) {
        catalog.absent(t);
      }
    }
    check(dialectName + "-evolution.sql", planner.plan(second, catalog, names).statements());
  }

  private static void check(String file, List<String> statements) throws IOException {
    String actual = String.join(";\n\n", statements) + ";\n";
    Path path = GOLDEN.resolve(file);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(path, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(path, StandardCharsets.UTF_8), actual, file);
  }
}
