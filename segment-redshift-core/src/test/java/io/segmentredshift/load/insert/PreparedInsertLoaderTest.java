package io.segmentredshift.load.insert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.load.LoadResult;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PreparedInsertLoaderTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");

  @Test
  void rowsPerStatementStayWithinTheProtocolsParameterLimit() {
    PreparedInsertLoader loader = new PreparedInsertLoader();
    assertEquals(1000, loader.rowsPerStatement(10));
    assertEquals(819, loader.rowsPerStatement(40));
    assertEquals(20, loader.rowsPerStatement(1600));
    assertEquals(1, new PreparedInsertLoader(1, 1).rowsPerStatement(5));
    assertThrows(IllegalArgumentException.class, () -> new PreparedInsertLoader(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new PreparedInsertLoader(1, 0));
  }

  @Test
  void aWideTableLoadsInFullAndPartialStatementsAcrossSeveralBatches() throws SQLException {
    // 400 properties + 10 standard columns: 79 rows per statement, 2 statements per round trip.
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Map<String, Object> props = new LinkedHashMap<>();
      for (int p = 0; p < 400; p++) {
        props.put("p" + p, (long) (i * 1000 + p));
      }
      events.add(
          Event.builder(EventType.TRACK)
              .messageId("w" + i)
              .anonymousId("a")
              .event("Wide")
              .properties(props)
              .timestamp(T0)
              .receivedAt(T0)
              .build());
    }
    try (SegmentRedshift segment =
        SegmentRedshift.builder(PG.dataSource())
            .dialect(Dialect.postgres())
            .schema("wide_insert")
            .loader(new PreparedInsertLoader(1000, 2))
            .build()) {
      LoadResult r = segment.load(events);
      assertEquals(500, r.rows("wide"));
      assertEquals("insert", r.loader());
    }
    try (Connection c = PG.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*), SUM(p0), SUM(p399), COUNT(DISTINCT id) FROM wide_insert.wide")) {
      rs.next();
      assertEquals(500, rs.getLong(1));
      assertEquals(1000L * (499 * 500 / 2), rs.getLong(2));
      assertEquals(1000L * (499 * 500 / 2) + 399 * 500, rs.getLong(3));
      assertEquals(500, rs.getLong(4));
    }
  }
}
