package io.segmentredshift.schema;

import static io.segmentredshift.schema.TestWarehouse.LOADED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Pass 1 and the plan: the outcome of a batch does not depend on the order of its events. */
class BatchSchemaTest {
  private static final Dialect DIALECT = Dialect.redshift();

  private static SchemaPlanner.Plan plan(List<Event> events, int budget) {
    BatchSchema needs = GoldenDdlTest.batch(DIALECT, events);
    Catalog catalog = new Catalog();
    for (String t : SchemaPlanner.tablesFor(needs)) {
      catalog.absent(t);
    }
    return new SchemaPlanner(DIALECT, "s", budget).plan(needs, catalog, new NameMap());
  }

  @Provide
  Arbitrary<List<Event>> batches() {
    Arbitrary<String> keys =
        Arbitraries.of("userName", "user_name", "User Name", "a", "b", "3d", "open", "x.y");
    Arbitrary<Object> values =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-5, 5).map(l -> (Object) l),
            Arbitraries.of(1.5, 2.25).map(d -> (Object) d),
            Arbitraries.of(true).map(b -> (Object) b),
            Arbitraries.of("2024-03-05T10:11:12Z", "text", "é".repeat(300)).map(s -> (Object) s),
            Arbitraries.<Object>of(List.of("a"), Map.of("k", 1L)));
    Arbitrary<Event> events =
        Arbitraries.maps(keys, values)
            .ofMaxSize(5)
            .flatMap(
                props ->
                    Arbitraries.of("Viewed", "viewed", "Clicked")
                        .map(
                            name ->
                                Event.builder(EventType.TRACK)
                                    .messageId("m" + props.hashCode() + name)
                                    .event(name)
                                    .properties(props)
                                    .build()));
    return events.list().ofMinSize(1).ofMaxSize(12);
  }

  @Property(tries = 300)
  void theSchemaOfABatchDoesNotDependOnEventOrder(
      @ForAll("batches") List<Event> events, @ForAll long seed) {
    List<Event> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, new Random(seed));
    SchemaPlanner.Plan a = plan(events, SchemaEvolver.DEFAULT_COLUMN_BUDGET);
    SchemaPlanner.Plan b = plan(shuffled, SchemaEvolver.DEFAULT_COLUMN_BUDGET);
    assertEquals(a.statements(), b.statements());
    assertEquals(a.columns(), b.columns());
    SchemaPlanner.Plan tight = plan(events, TableKind.EVENT.standardColumns().size() + 2);
    assertEquals(
        tight.statements(),
        plan(shuffled, TableKind.EVENT.standardColumns().size() + 2).statements());
  }

  @Property(tries = 200)
  void twoSourcePathsNeverShareAColumn(@ForAll("batches") List<Event> events) {
    for (Map<String, String> byPath :
        plan(events, SchemaEvolver.DEFAULT_COLUMN_BUDGET).columns().values()) {
      assertEquals(
          byPath.size(), new java.util.HashSet<>(byPath.values()).size(), byPath.toString());
    }
  }

  @Test
  void aBatchKeepsAtMostTheFirstFieldsOfATableWhateverTheOrder() {
    int n = BatchSchema.MAX_FIELDS_PER_TABLE + 300;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(String.format("k%05d", i));
    }
    Collections.shuffle(keys, new Random(7));
    WarehouseLayout layout = new WarehouseLayout(DIALECT);
    BatchSchema needs = new BatchSchema(DIALECT);
    for (int from = 0; from < n; from += 100) {
      Map<String, Object> props = new LinkedHashMap<>();
      for (String k : keys.subList(from, Math.min(n, from + 100))) {
        props.put(k, 1L);
      }
      needs.add(
          layout.rows(
              Event.builder(EventType.TRACK)
                  .messageId("m" + from)
                  .event("Wide")
                  .properties(props)
                  .build(),
              LOADED));
    }
    BatchSchema.TableNeeds wide = needs.tables().get("wide");
    assertEquals(BatchSchema.MAX_FIELDS_PER_TABLE, wide.fields.size());
    assertEquals("k00000", wide.fields.first().name);
    assertEquals(
        String.format("k%05d", BatchSchema.MAX_FIELDS_PER_TABLE - 1), wide.fields.last().name);
    assertTrue(wide.overflow);
  }
}
