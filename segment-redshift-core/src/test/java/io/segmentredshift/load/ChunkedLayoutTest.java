package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.schema.SchemaEvolver;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A batch large enough to be laid out in chunks on several threads loads exactly what the same
 * batch laid out on one thread loads: the same tables, columns, types, rows and discards.
 */
class ChunkedLayoutTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final Instant AT = Instant.parse("2024-03-05T00:30:00Z");

  private static Event track(String id, Map<String, Object> properties) {
    return Event.builder(EventType.TRACK)
        .messageId(id)
        .anonymousId("anon-chunks")
        .event("Chunk Checked")
        .properties(properties)
        .timestamp(AT)
        .receivedAt(AT)
        .build();
  }

  /**
   * Generated traffic, and events whose outcome depends on seeing the whole batch: a messageId
   * repeated in the first and the last chunk with the same received_at (the later row wins), and a
   * property that is a number in the first chunk and text in the last (its column is text), and
   * text with NUL in both (a discard each).
   */
  private static List<Event> events() {
    List<Event> events = new ArrayList<>(Traffic.events(20240307, 4000));
    events.add(0, track("dup-0", Map.of("version", "early", "flip", 1L)));
    events.add(track("dup-0", Map.of("version", "late", "flip", 2L)));
    events.add(track("flip-text", Map.of("flip", "not a number")));
    events.add(1, track("nul-first", Map.of("note", "a\u0000b")));
    events.add(track("nul-last", Map.of("note", "c\u0000d")));
    return events;
  }

  private static void load(Targets t, String schema, List<Event> events, int threads) {
    LoadPipeline pipeline =
        new LoadPipeline(
            "chunks",
            t.load(),
            new SchemaEvolver(t.load(), t.dialect(), schema),
            t.loader(),
            RetryPolicy.none(),
            Duration.ofDays(7),
            Clock.fixed(Targets.LOADED, ZoneOffset.UTC),
            threads);
    try {
      pipeline.load(LoadPipeline.newBatchId(), events, List.of());
    } finally {
      pipeline.close();
    }
  }

  @Test
  void aBatchLaidOutInChunksLoadsWhatOneThreadLoads() throws SQLException {
    List<Event> events = events();
    assertTrue(events.size() >= 2 * LoadPipeline.PARALLEL_FROM_EVENTS, "the batch is chunked");
    Targets t = Targets.of(Targets.PG_COPY, PG, RS);
    String serial = LoaderValuesTest.schema("chunks_one_thread", t.name());
    String chunked = LoaderValuesTest.schema("chunks_three_threads", t.name());
    load(t, serial, events, 1);
    load(t, chunked, events, 3);

    Map<String, List<String>> expected = EquivalenceTest.dump(t, serial);
    Map<String, List<String>> actual = EquivalenceTest.dump(t, chunked);
    assertTrue(expected.get("tracks").size() > 1500, "tracks: " + expected.get("tracks").size());
    assertTrue(expected.get("_discards").size() >= 2, "NUL gives discards");
    assertEquals(expected.keySet(), actual.keySet());
    for (String table : expected.keySet()) {
      assertEquals(expected.get(table), actual.get(table), table);
    }
    for (String schema : List.of(serial, chunked)) {
      assertEquals(
          "late",
          Tables.scalar(
              t.read(), "SELECT version FROM \"" + schema + "\".chunk_checked WHERE id = 'dup-0'"),
          schema);
      assertEquals(
          "text",
          Tables.scalar(
              t.read(),
              "SELECT data_type FROM information_schema.columns"
                  + " WHERE table_schema = ? AND table_name = 'chunk_checked'"
                  + " AND column_name = 'flip'",
              schema),
          schema);
    }
  }
}
