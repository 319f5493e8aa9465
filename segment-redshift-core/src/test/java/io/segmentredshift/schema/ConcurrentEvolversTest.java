package io.segmentredshift.schema;

import static io.segmentredshift.schema.TestWarehouse.LOADED;
import static io.segmentredshift.schema.TestWarehouse.catalog;
import static io.segmentredshift.schema.TestWarehouse.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two evolvers creating the same new schema, table and columns at the same moment. */
class ConcurrentEvolversTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final int ROUNDS = 6;
  private static final int PROPERTIES = 25;

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "redshift"})
  void bothSucceedAndLeaveOneSetOfColumns(String dialectName) throws Exception {
    Dialect dialect = dialectName.equals("redshift") ? Dialect.redshift() : Dialect.postgres();
    DataSource ds = dialect == Dialect.redshift() ? RS.dataSource() : PG.dataSource();
    DataSource read = dialect == Dialect.redshift() ? RS.postgres() : PG.dataSource();
    String schema = "race_" + dialectName;
    SchemaEvolver one = new SchemaEvolver(ds, dialect, schema);
    SchemaEvolver two = new SchemaEvolver(ds, dialect, schema);
    WarehouseLayout layout = new WarehouseLayout(dialect);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (int p = 0; p < PROPERTIES; p++) {
          props.put("prop" + p + "Name", p % 2 == 0 ? (Object) (long) p : "text" + p);
        }
        Event event =
            Event.builder(EventType.TRACK)
                .messageId("r" + round)
                .event("Race " + round)
                .properties(props)
                .receivedAt(LOADED)
                .build();
        BatchSchema needs = new BatchSchema(dialect);
        needs.add(layout.rows(event, LOADED));
        CyclicBarrier start = new CyclicBarrier(2);
        Future<ResolvedSchema> a =
            pool.submit(
                () -> {
                  start.await();
                  return one.evolve(needs);
                });
        Future<ResolvedSchema> b =
            pool.submit(
                () -> {
                  start.await();
                  return two.evolve(needs);
                });
        ResolvedSchema ra = a.get(60, TimeUnit.SECONDS);
        ResolvedSchema rb = b.get(60, TimeUnit.SECONDS);
        String table = "race_" + round;
        assertEquals(ra.table(table), rb.table(table));
        for (int p = 0; p < PROPERTIES; p++) {
          String path = "/properties/prop" + p + "Name";
          assertEquals("prop" + p + "_name", ra.column(table, path));
          assertEquals(ra.column(table, path), rb.column(table, path));
        }
        Map<String, String> cols = catalog(read, schema).get(table);
        assertEquals(TableKind.EVENT.standardColumns().size() + PROPERTIES, cols.size());
        assertEquals(
            (long) PROPERTIES,
            scalar(
                read, "SELECT count(*) FROM " + schema + "._columns WHERE table_name = ?", table));
        TestWarehouse.insert(ds, dialect, schema, ra.rows(layout.rows(event, LOADED)));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(
        (long) ROUNDS * PROPERTIES,
        scalar(
            read, "SELECT count(DISTINCT (table_name, column_name)) FROM " + schema + "._columns"));
  }
}
