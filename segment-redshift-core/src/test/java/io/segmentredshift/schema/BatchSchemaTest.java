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
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Pass 1 and the plan: the outcome of a batch does not depend on the order of its events, nor on
 * the parts it is summarised in (as the load path does on several threads).
 */
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

  /** The events summarised in {@code parts} parts (event i in part i % parts), added up. */
  private static BatchSchema inParts(Dialect dialect, List<Event> events, int parts) {
    WarehouseLayout layout = new WarehouseLayout(dialect);
    List<BatchSchema> summaries = new ArrayList<>();
    for (int k = 0; k < parts; k++) {
      summaries.add(new BatchSchema(dialect));
    }
    for (int i = 0; i < events.size(); i++) {
      summaries.get(i % parts).add(layout.rows(events.get(i), LOADED));
    }
    for (int k = 1; k < parts; k++) {
      summaries.get(0).addAll(summaries.get(k));
    }
    return summaries.get(0);
  }

  /** Everything a summary holds, fields in their order, as text. */
  private static String describe(BatchSchema needs) {
    StringBuilder out = new StringBuilder("rows " + needs.rowCount());
    for (BatchSchema.TableNeeds t : needs.tables().values()) {
      out.append('\n')
          .append(t.name)
          .append(' ')
          .append(t.kind)
          .append(" derived ")
          .append(t.feedsDerived)
          .append(" overflow ")
          .append(t.overflow);
      for (FieldStats f : new TreeMap<>(t.standard).values()) {
        out.append("\n  standard ").append(f.name).append(' ').append(f.kind).append(' ');
        out.append(f.longest);
      }
      for (FieldStats f : t.fields) {
        out.append("\n  ").append(f.path).append(' ').append(f.name).append(' ').append(f.exact);
        out.append(' ').append(f.kind).append(' ').append(f.longest);
      }
    }
    return out.toString();
  }

  @Property(tries = 300)
  void aBatchSummarisedInPartsGivesTheSummaryOfTheWhole(
      @ForAll("batches") List<Event> events, @ForAll @IntRange(min = 1, max = 5) int parts) {
    BatchSchema whole = GoldenDdlTest.batch(DIALECT, events);
    assertEquals(describe(whole), describe(inParts(DIALECT, events, parts)));
  }

  @Test
  void partsOfAWideBatchKeepTheFieldsTheWholeKeeps() {
    int n = BatchSchema.MAX_FIELDS_PER_TABLE + 300;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(String.format("k%05d", i));
    }
    Collections.shuffle(keys, new Random(11));
    List<Event> events = new ArrayList<>();
    for (int from = 0; from < n; from += 100) {
      Map<String, Object> props = new LinkedHashMap<>();
      for (String k : keys.subList(from, Math.min(n, from + 100))) {
        // The same key a number in one event and text in another: the kinds of both parts join.
        props.put(k, from % 200 == 0 ? (Object) 1L : "text " + k);
      }
      events.add(
          Event.builder(EventType.TRACK)
              .messageId("m" + from)
              .event("Wide")
              .properties(props)
              .build());
      events.add(
          Event.builder(EventType.TRACK)
              .messageId("n" + from)
              .event("Wide")
              .properties(Map.of(keys.get((from * 7) % n), 2L))
              .build());
    }
    BatchSchema whole = GoldenDdlTest.batch(DIALECT, events);
    assertTrue(whole.tables().get("wide").overflow);
    for (int parts = 2; parts <= 7; parts++) {
      assertEquals(describe(whole), describe(inParts(DIALECT, events, parts)), parts + " parts");
    }
  }
}
