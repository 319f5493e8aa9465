package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PostgreSQL loaders write straight into the targets, and probe an event table only for the ids
 * found in {@code tracks}. When {@code tracks} and an event table disagree (rows deleted from
 * {@code tracks} by hand), the primary key refuses the write and the merge runs again exactly: the
 * tables end as the staged merge leaves them on Redshift, where every table is anti-joined.
 */
class DirectMergeTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");

  private static Event track(String id, String name, long value) {
    return Event.builder(EventType.TRACK)
        .messageId(id)
        .anonymousId("a1")
        .event(name)
        .properties(Map.of("v", value))
        .timestamp(T0)
        .receivedAt(T0)
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.INSERT, Targets.PG_COPY})
  void aTracksRowDeletedByHandComesBackAndItsEventTableRowStaysAsItWas(String loader)
      throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = LoaderValuesTest.schema("tracks_deleted", loader);
    try (SegmentRedshift segment = t.open(schema)) {
      segment.load(List.of(track("d1", "Clicked", 1), track("d2", "Clicked", 2)));
      Tables.execute(t.read(), "DELETE FROM \"" + schema + "\".tracks WHERE id = 'd1'");
      LoadResult again =
          segment.load(
              List.of(
                  track("d1", "Clicked", 10),
                  track("d2", "Clicked", 20),
                  track("d3", "Clicked", 30)));
      assertEquals(2, again.rows("tracks"), "d1 again and d3");
      assertEquals(1, again.rows("clicked"), "d3 only");
    }
    assertEquals(
        List.of("d1", "d2", "d3"),
        Tables.query(t.read(), "SELECT id FROM \"" + schema + "\".tracks ORDER BY id").stream()
            .map(r -> r.get("id"))
            .toList());
    assertEquals(
        List.of(1L, 2L, 30L),
        Tables.query(t.read(), "SELECT v FROM \"" + schema + "\".clicked ORDER BY id").stream()
            .map(r -> r.get("v"))
            .toList());
    assertEquals(2, Tables.rows(t.read(), schema, "_loads").size());
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.INSERT, Targets.PG_COPY})
  void anIdThatChangedItsEventNameLandsInTheNewEventTable(String loader) throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = LoaderValuesTest.schema("renamed", loader);
    try (SegmentRedshift segment = t.open(schema)) {
      segment.load(List.of(track("r1", "Clicked", 1)));
      LoadResult again = segment.load(List.of(track("r1", "Viewed", 2)));
      assertEquals(0, again.rows("tracks"));
      assertEquals(1, again.rows("viewed"));
    }
    assertEquals(1, Tables.rows(t.read(), schema, "clicked").size());
    assertEquals(1, Tables.rows(t.read(), schema, "viewed").size());
    assertEquals(1, Tables.rows(t.read(), schema, "tracks").size());
  }
}
