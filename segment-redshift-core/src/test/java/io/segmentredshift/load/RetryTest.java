package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries on real failures of a real database: a trigger on the target raises the failure (a
 * serialization failure, Redshift's 1023, a killed connection) the first time a merge inserts,
 * using a sequence to count, since sequences do not roll back.
 */
class RetryTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");

  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  private RetryPolicy recording(int attempts) {
    return RetryPolicy.builder()
        .maxAttempts(attempts)
        .initialBackoff(Duration.ofMillis(100))
        .maxBackoff(Duration.ofMillis(250))
        .sleeper(waits::add)
        .build();
  }

  private static List<Event> batch(String prefix) {
    return List.of(
        Event.builder(EventType.TRACK)
            .messageId(prefix + "-1")
            .anonymousId("a")
            .event("Retried")
            .properties(Map.of("n", 1L))
            .timestamp(T0)
            .receivedAt(T0)
            .build(),
        Event.builder(EventType.IDENTIFY)
            .messageId(prefix + "-2")
            .userId("u1")
            .traits(Map.of("plan", prefix))
            .timestamp(T0)
            .receivedAt(T0)
            .build());
  }

  /** A trigger on {@code schema.retried} that runs {@code body} when the sequence says so. */
  private static void failOnce(Targets t, String schema, String when, String body)
      throws SQLException {
    Tables.execute(
        t.read(),
        "CREATE SEQUENCE \"" + schema + "\".fail_count",
        "CREATE FUNCTION \""
            + schema
            + "\".fail() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN IF nextval('\""
            + schema
            + "\".fail_count') "
            + when
            + " THEN "
            + body
            + "; END IF; RETURN NULL; END$$",
        "CREATE TRIGGER fail BEFORE INSERT ON \""
            + schema
            + "\".retried FOR EACH STATEMENT EXECUTE FUNCTION \""
            + schema
            + "\".fail()");
  }

  private static long count(Targets t, String schema, String table) throws SQLException {
    return ((Number)
            Tables.scalar(t.read(), "SELECT COUNT(*) FROM \"" + schema + "\".\"" + table + "\""))
        .longValue();
  }

  @Test
  void aSerializationFailureIsRetriedAndTheBatchLandsOnce() throws SQLException {
    Targets t = Targets.of(Targets.PG_COPY, PG, RS);
    String schema = "retry_40001";
    try (SegmentRedshift segment = t.builder(schema).retryPolicy(recording(5)).build()) {
      segment.load(batch("first"));
      failOnce(
          t,
          schema,
          "= 1",
          "RAISE EXCEPTION 'could not serialize access due to read/write dependencies'"
              + " USING ERRCODE = 'serialization_failure'");
      LoadResult r = segment.load(batch("second"));
      assertEquals(2, r.attempts());
      assertEquals(1, r.rows("retried"));
    }
    assertEquals(1, waits.size());
    assertTrue(waits.get(0).compareTo(Duration.ofMillis(50)) >= 0, waits.toString());
    assertTrue(waits.get(0).compareTo(Duration.ofMillis(100)) <= 0, waits.toString());
    assertEquals(2, count(t, schema, "retried"));
    assertEquals(2, count(t, schema, "identifies"));
    assertEquals(2, count(t, schema, "_loads"));
    assertEquals("second", Tables.scalar(t.read(), "SELECT plan FROM \"" + schema + "\".users"));
  }

  @Test
  void redshiftSerializableIsolationViolationIsRetried() throws SQLException {
    Targets t = Targets.of(Targets.S3_COPY, PG, RS);
    String schema = "retry_1023";
    try (SegmentRedshift segment = t.builder(schema).retryPolicy(recording(5)).build()) {
      segment.load(batch("first"));
      // Redshift reports 1023 with SQLSTATE XX000 and the reason in the message.
      failOnce(
          t,
          schema,
          "<= 2",
          "RAISE EXCEPTION '1023 DETAIL: Serializable isolation violation on table - 123456,"
              + " transactions forming the cycle are: 1, 2 (pid:3)' USING ERRCODE = 'XX000'");
      LoadResult r = segment.load(batch("second"));
      assertEquals(3, r.attempts());
      assertEquals(1, r.rows("retried"));
    }
    assertEquals(2, waits.size());
    assertEquals(2, count(t, schema, "retried"));
    assertEquals(2, count(t, schema, "_loads"));
  }

  @Test
  void aBrokenConnectionIsRetriedOnANewOne() throws SQLException {
    Targets t = Targets.of(Targets.INSERT, PG, RS);
    String schema = "retry_killed";
    try (SegmentRedshift segment = t.builder(schema).retryPolicy(recording(5)).build()) {
      segment.load(batch("first"));
      failOnce(t, schema, "= 1", "PERFORM pg_terminate_backend(pg_backend_pid())");
      LoadResult r = segment.load(batch("second"));
      assertEquals(2, r.attempts());
      assertEquals(1, r.rows("retried"));
    }
    assertEquals(2, count(t, schema, "retried"));
    assertEquals(2, count(t, schema, "_loads"));
  }

  @Test
  void retriesStopAtMaxAttemptsAndNothingIsCommitted() throws SQLException {
    Targets t = Targets.of(Targets.PG_COPY, PG, RS);
    String schema = "retry_exhausted";
    try (SegmentRedshift segment = t.builder(schema).retryPolicy(recording(3)).build()) {
      segment.load(batch("first"));
      failOnce(t, schema, "> 0", "RAISE EXCEPTION 'deadlock' USING ERRCODE = 'deadlock_detected'");
      LoadException e = assertThrows(LoadException.class, () -> segment.load(batch("second")));
      assertEquals(LoadException.Reason.CONFLICT, e.reason());
      assertTrue(e.retryable());
      assertTrue(e.getMessage().contains("SQLSTATE 40P01"), e.getMessage());
    }
    assertEquals(2, waits.size());
    assertEquals(1, count(t, schema, "retried"));
    assertEquals(1, count(t, schema, "identifies"));
    assertEquals(1, count(t, schema, "_loads"));
  }

  @Test
  void aPermanentFailureIsNotRetriedAndItsMessageHasNoRowValues() throws SQLException {
    Targets t = Targets.of(Targets.INSERT, PG, RS);
    String schema = "retry_permanent";
    try (SegmentRedshift segment = t.builder(schema).retryPolicy(recording(5)).build()) {
      segment.load(batch("first"));
      failOnce(
          t,
          schema,
          "> 0",
          "RAISE EXCEPTION 'value secret-value violates a check' USING ERRCODE = 'check_violation'");
      LoadException e = assertThrows(LoadException.class, () -> segment.load(batch("second")));
      assertEquals(LoadException.Reason.DATABASE, e.reason());
      assertFalse(e.retryable());
      assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
      assertTrue(e.getMessage().contains("merging"), e.getMessage());
    }
    assertTrue(waits.isEmpty());
    assertEquals(1, count(t, schema, "retried"));
    assertEquals(1, count(t, schema, "_loads"));
  }
}
