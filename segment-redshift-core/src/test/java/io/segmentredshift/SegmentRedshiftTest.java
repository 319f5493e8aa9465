package io.segmentredshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.event.EventValidator;
import io.segmentredshift.event.MalformedEventException;
import io.segmentredshift.load.LoadException;
import io.segmentredshift.load.LoadListener;
import io.segmentredshift.load.LoadResult;
import io.segmentredshift.load.RejectedEvent;
import io.segmentredshift.load.RetryPolicy;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** The direct loader API, as custom code uses it. */
class SegmentRedshiftTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final Instant NOW = Instant.parse("2024-03-05T10:00:00Z");

  @Test
  void customCodeLoadsEventsAndQueriesThemLikeSegmentsWarehouse() throws SQLException {
    // Any DataSource: here the embedded PostgreSQL, in production a connection pool.
    DataSource warehouse = PG.dataSource();

    List<Event> events =
        List.of(
            Event.builder(EventType.IDENTIFY)
                .messageId("msg-1")
                .userId("u1")
                .traits(Map.of("email", "ada@example.com", "plan", "pro"))
                .timestamp(NOW)
                .receivedAt(NOW)
                .build(),
            Event.builder(EventType.TRACK)
                .messageId("msg-2")
                .userId("u1")
                .event("Order Completed")
                .properties(Map.of("total", 27.5, "currency", "EUR"))
                .timestamp(NOW.plusSeconds(60))
                .receivedAt(NOW.plusSeconds(61))
                .build(),
            // A retried delivery: the same messageId again.
            Event.builder(EventType.TRACK)
                .messageId("msg-2")
                .userId("u1")
                .event("Order Completed")
                .properties(Map.of("total", 27.5, "currency", "EUR"))
                .timestamp(NOW.plusSeconds(60))
                .receivedAt(NOW.plusSeconds(61))
                .build());

    try (SegmentRedshift segment =
        SegmentRedshift.builder(warehouse).schema("shop").name("shop-loader").build()) {
      LoadResult result = segment.load(events);

      assertEquals(3, result.eventCount());
      assertEquals(1, result.rows("identifies"));
      assertEquals(1, result.rows("users"));
      assertEquals(1, result.rows("tracks"));
      assertEquals(1, result.rows("order_completed"));
      assertEquals(0, result.discards());
      assertTrue(result.rejectedEvents().isEmpty());
      assertEquals("insert", result.loader(), "small tables are INSERTed by default");

      // Loading the same events again adds nothing.
      assertEquals(0, segment.load(events).rows("tracks"));
    }

    // The tables are Segment's: queries written for Segment's warehouses work unchanged.
    try (Connection c = warehouse.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT u.email, o.total, o.currency FROM shop.users u"
                    + " JOIN shop.order_completed o ON o.user_id = u.id")) {
      assertTrue(rs.next());
      assertEquals("ada@example.com", rs.getString(1));
      assertEquals(27.5, rs.getDouble(2));
      assertEquals("EUR", rs.getString(3));
      assertTrue(!rs.next());
    }
  }

  @Test
  void eventsThatBreakSegmentsRulesAreReportedNotLoadedAndMissingIdsAreDerived()
      throws SQLException {
    Event noUser =
        Event.builder(EventType.TRACK)
            .messageId("no-user")
            .event("Orphaned")
            .timestamp(NOW)
            .build();
    Event noEvent = Event.builder(EventType.TRACK).messageId("no-event").userId("u1").build();
    Event noMessageId =
        Event.builder(EventType.PAGE).userId("u1").name("Home").timestamp(NOW).build();
    try (SegmentRedshift segment =
        SegmentRedshift.builder(PG.dataSource())
            .schema("validated")
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build()) {
      LoadResult r = segment.load(List.of(noUser, noMessageId, noEvent));
      assertEquals(3, r.eventCount());
      assertEquals(1, r.rows("pages"));
      assertEquals(
          List.of(
              new RejectedEvent(
                  0,
                  "no-user",
                  MalformedEventException.Reason.MISSING_FIELD,
                  "/userId",
                  "userId or anonymousId is required"),
              new RejectedEvent(
                  2,
                  "no-event",
                  MalformedEventException.Reason.MISSING_FIELD,
                  "/event",
                  "event is required")),
          r.rejectedEvents());
      // The derived messageId depends on the content only: the same page again is a duplicate.
      assertEquals(0, segment.load(List.of(noMessageId)).rows("pages"));
    }
    try (Connection c = PG.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, received_at FROM validated.pages")) {
      assertTrue(rs.next());
      assertTrue(rs.getString(1).startsWith(EventValidator.DERIVED_MESSAGE_ID_PREFIX));
      assertEquals(
          NOW, rs.getObject(2, java.time.OffsetDateTime.class).toInstant(), "receivedAt is now");
    }
  }

  @Test
  void theDialectIsDetectedFromTheDriverUnlessGiven() {
    try (SegmentRedshift pg = SegmentRedshift.builder(PG.dataSource()).schema("detect").build()) {
      assertSame(Dialect.postgres(), pg.dialect());
    }
    try (SegmentRedshift rs =
        SegmentRedshift.builder(RS.redshiftDriverDataSource()).schema("detect").build()) {
      assertSame(Dialect.redshift(), rs.dialect());
    }
    // The emulation runs over pgjdbc, which answers "PostgreSQL": the explicit dialect wins.
    try (SegmentRedshift emulated =
        SegmentRedshift.builder(RS.dataSource())
            .dialect(Dialect.redshift())
            .schema("detect")
            .build()) {
      assertSame(Dialect.redshift(), emulated.dialect());
    }
  }

  @Test
  void theListenerHearsOfEveryBatchAndAClosedInstanceRefusesMore() {
    List<String> heard = new ArrayList<>();
    LoadListener listener =
        new LoadListener() {
          @Override
          public void loaded(LoadResult result) {
            heard.add("loaded " + result.rows("tracks"));
          }

          @Override
          public void failed(String batchId, int eventCount, SegmentRedshiftException failure) {
            assertEquals(32, batchId.length());
            heard.add("failed " + eventCount + " " + failure.getClass().getSimpleName());
          }
        };
    Event track =
        Event.builder(EventType.TRACK)
            .messageId("l1")
            .anonymousId("a")
            .event("Heard")
            .timestamp(NOW)
            .receivedAt(NOW)
            .build();
    SegmentRedshift segment =
        SegmentRedshift.builder(PG.dataSource()).schema("listened").loadListener(listener).build();
    segment.load(List.of(track));
    segment.close();
    LoadException closed = assertThrows(LoadException.class, () -> segment.load(List.of(track)));
    assertEquals(LoadException.Reason.CLOSED, closed.reason());

    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setServerNames(new String[] {"127.0.0.1"});
    nowhere.setPortNumbers(new int[] {1});
    try (SegmentRedshift unreachable =
        SegmentRedshift.builder(nowhere)
            .dialect(Dialect.postgres())
            .schema("listened")
            .retryPolicy(RetryPolicy.none())
            .loadListener(listener)
            .build()) {
      LoadException e = assertThrows(LoadException.class, () -> unreachable.load(List.of(track)));
      assertEquals(LoadException.Reason.CONNECTION, e.reason());
      assertTrue(e.retryable());
    }
    assertEquals(List.of("loaded 1", "failed 1 LoadException"), heard);
  }

  @Test
  void anEmptyBatchTouchesNothing() {
    try (SegmentRedshift segment =
        SegmentRedshift.builder(PG.dataSource())
            .dialect(Dialect.postgres())
            .schema("empty_batch")
            .build()) {
      LoadResult r = segment.load(List.of());
      assertEquals("none", r.loader());
      assertEquals(0, r.totalRows());
      assertNotNull(r.batchId());
    }
  }

  @Test
  void builderArgumentsAreChecked() {
    SegmentRedshift.Builder b = SegmentRedshift.builder(PG.dataSource());
    assertEquals(
        "warehouse == null",
        assertThrows(NullPointerException.class, () -> SegmentRedshift.builder(null)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.name(" "));
    assertThrows(IllegalArgumentException.class, () -> b.columnBudget(0));
    assertThrows(IllegalArgumentException.class, () -> b.columnBudget(1601));
    assertThrows(IllegalArgumentException.class, () -> b.dedupWindow(Duration.ofDays(-1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> b.dialect(Dialect.postgres()).schema("Not Snake Case").build());
  }
}
