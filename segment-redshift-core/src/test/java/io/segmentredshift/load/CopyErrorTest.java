package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A COPY the warehouse refuses: the column was narrowed behind the library's back (the evolver's
 * cached schema still says VARCHAR(512)), so one row's value no longer fits. The row is reported
 * with file, line and column from stl_load_errors, quarantined to _discards, and the rest loads.
 */
class CopyErrorTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");
  private static final String SECRET = "a value far longer than eight bytes";

  private static Event track(String id, String note) {
    return Event.builder(EventType.TRACK)
        .messageId(id)
        .anonymousId("a")
        .event("Noted")
        .properties(Map.of("note", note))
        .timestamp(T0)
        .receivedAt(T0)
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.S3_COPY_REDSHIFT_JDBC})
  void aRefusedRowIsReportedQuarantinedAndTheRestLoads(String loader) throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = LoaderValuesTest.schema("copy_error", loader);
    List<LoadResult> results = new ArrayList<>();
    try (SegmentRedshift segment = t.builder(schema).loadListener(results::add).build()) {
      segment.load(List.of(track("first", "short")));
      Tables.execute(
          t.read(), "ALTER TABLE \"" + schema + "\".noted ALTER COLUMN note TYPE varchar(8)");
      LoadResult r =
          segment.load(
              List.of(track("ok-1", "fits"), track("too-long", SECRET), track("ok-2", "fits too")));

      assertEquals(1, r.loadErrors().size());
      LoadError e = r.loadErrors().get(0);
      assertEquals("noted", e.table());
      assertTrue(e.file().startsWith("s3://" + RS.bucket() + "/"), e.file());
      assertTrue(e.file().endsWith(".csv.gz"), e.file());
      assertEquals(2, e.line());
      assertEquals("note", e.column());
      assertEquals(1204, e.code());
      assertEquals("String length exceeds DDL length", e.message());
      assertFalse(e.toString().contains(SECRET));

      assertEquals(2, r.rows("noted"));
      assertEquals(3, r.rows("tracks"));
      assertEquals(1, r.discards());
      assertEquals(r, results.get(1));

      // The load error made the evolver forget its cached catalog: the next batch sees the
      // VARCHAR(8), widens it and loads the long value without a COPY error.
      LoadResult next = segment.load(List.of(track("later", SECRET)));
      assertTrue(next.loadErrors().isEmpty());
      assertEquals(0, next.discards());
      assertEquals(1, next.rows("noted"));
    }
    assertEquals(
        List.of("first", "later", "ok-1", "ok-2"),
        Tables.query(t.read(), "SELECT id FROM \"" + schema + "\".noted ORDER BY id").stream()
            .map(row -> row.get("id"))
            .toList());
    List<Map<String, Object>> discards = Tables.rows(t.read(), schema, "_discards");
    assertEquals(1, discards.size());
    Map<String, Object> discard = discards.get(0);
    assertEquals("noted", discard.get("table_name"));
    assertEquals("note", discard.get("column_name"));
    assertEquals("too-long", discard.get("row_id"));
    assertEquals("LOAD_ERROR", discard.get("reason"));
    assertEquals("", discard.get("source_path"));
    String raw = (String) discard.get("raw_value");
    assertTrue(raw.startsWith("{\"id\":\"too-long\","), raw);
    assertTrue(raw.contains("\"note\":\"" + SECRET + "\""), raw);
    assertTrue(raw.contains("\"received_at\":\"2024-03-05T10:00:00Z\""), raw);
  }
}
