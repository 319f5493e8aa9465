package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventType;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each loader on its own: values go in and come back out exactly, or go to _discards. */
class LoaderValuesTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final Instant AT = Instant.parse("2024-03-05T10:11:12.123456Z");

  /** Values that trip CSV writers, SQL literals or NULL handling. */
  private static final Map<String, String> TRICKY = tricky();

  private static Map<String, String> tricky() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("comma", "a,b");
    m.put("quote", "say \"hi\"");
    m.put("only_quotes", "\"\"");
    m.put("newline", "line1\nline2");
    m.put("crlf", "line1\r\nline2\r");
    m.put("backslash", "C:\\temp\\");
    m.put("backslash_n", "\\N");
    m.put("tab", "a\tb");
    m.put("single_quote", "it's");
    m.put("empty", "");
    m.put("space", " ");
    m.put("null_word", "NULL");
    m.put("null_marker_like", "~sr-null-00000000000000000000000000000000~");
    m.put("emoji", "😀🎉 four bytes");
    m.put("cjk", "日本語のテキスト");
    m.put("combining", "e\u0301 and \u00e9");
    m.put("sql", "'); DROP TABLE tracks; --");
    m.put("json_like", "{\"a\":[1,2]}");
    return m;
  }

  private static Event track(String id, Map<String, ?> properties) {
    return Event.builder(EventType.TRACK)
        .messageId(id)
        .userId("u1")
        .event("Values Tested")
        .properties(properties)
        .timestamp(AT)
        .receivedAt(AT)
        .build();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {Targets.S3_COPY, Targets.S3_COPY_REDSHIFT_JDBC, Targets.INSERT, Targets.PG_COPY})
  void trickyStringsComeBackExactly(String loader) throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = schema("tricky", loader);
    try (SegmentRedshift segment = t.open(schema)) {
      LoadResult r = segment.load(List.of(track("m1", TRICKY)));
      assertEquals(1, r.rows("values_tested"));
      assertEquals(0, r.discards());
    }
    Map<String, Object> row = Tables.rows(t.read(), schema, "values_tested").get(0);
    for (Map.Entry<String, String> e : TRICKY.entrySet()) {
      assertEquals(e.getValue(), row.get(e.getKey()), e.getKey());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.INSERT, Targets.PG_COPY})
  void emptyStringAndNullStayApart(String loader) throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = schema("empty", loader);
    Map<String, Object> withNull = new LinkedHashMap<>();
    withNull.put("text", null);
    try (SegmentRedshift segment = t.open(schema)) {
      segment.load(
          List.of(
              track("empty", Map.of("text", "", "n", 1L)),
              track("absent", Map.of("n", 2L)),
              track("null", withNull)));
    }
    Map<String, Map<String, Object>> byId = byId(Tables.rows(t.read(), schema, "values_tested"));
    assertEquals("", byId.get("empty").get("text"));
    assertTrue(byId.get("absent").containsKey("text"));
    assertNull(byId.get("absent").get("text"));
    assertNull(byId.get("null").get("text"));
    assertNull(byId.get("null").get("n"));
    assertEquals(
        1L,
        ((Number) Tables.scalar(t.read(), count(schema, "values_tested", "text = ''")))
            .longValue());
    assertEquals(
        2L,
        ((Number) Tables.scalar(t.read(), count(schema, "values_tested", "text IS NULL")))
            .longValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.INSERT, Targets.PG_COPY})
  void nulAndUnpairedSurrogatesGoToDiscardsAndTheRestLoads(String loader) throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = schema("nul", loader);
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("nul", "before\u0000after");
    props.put("surrogate", "x\ud800y");
    props.put("fine", "ok");
    try (SegmentRedshift segment = t.open(schema)) {
      LoadResult r =
          segment.load(
              List.of(
                  track("bad", props),
                  track("good", Map.of("nul", "clean", "surrogate", "clean", "fine", "ok")),
                  Event.builder(EventType.IDENTIFY)
                      .messageId("nul-id")
                      .userId("user\u0000with nul")
                      .anonymousId("anon")
                      .timestamp(AT)
                      .receivedAt(AT)
                      .build()));
      assertEquals(2, r.rows("values_tested"));
      assertEquals(1, r.rows("identifies"));
      assertEquals(3, r.discards());
    }
    Map<String, Map<String, Object>> rows = byId(Tables.rows(t.read(), schema, "values_tested"));
    assertNull(rows.get("bad").get("nul"));
    assertNull(rows.get("bad").get("surrogate"));
    assertEquals("ok", rows.get("bad").get("fine"));
    assertEquals("clean", rows.get("good").get("nul"));
    assertNull(Tables.rows(t.read(), schema, "identifies").get(0).get("user_id"));
    List<String> discards = new ArrayList<>();
    for (Map<String, Object> d :
        Tables.query(
            t.read(),
            "SELECT table_name, column_name, row_id, reason, raw_value FROM \""
                + schema
                + "\".\"_discards\" ORDER BY row_id, column_name")) {
      discards.add(d.values().toString());
    }
    assertEquals(
        List.of(
            "[values_tested, nul, bad, INVALID_TEXT, \"before\\u0000after\"]",
            "[values_tested, surrogate, bad, INVALID_TEXT, \"x\\ud800y\"]",
            "[identifies, user_id, nul-id, INVALID_TEXT, \"user\\u0000with nul\"]"),
        discards);
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.INSERT, Targets.PG_COPY})
  void longStringsFitRedshiftWidthsInBytesOrGoToDiscards(String loader) throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = schema("long", loader);
    // 16383 four-byte characters and 3 ASCII: exactly 65535 UTF-8 bytes, Redshift's widest VARCHAR.
    String widest = "😀".repeat(16383) + "abc";
    String tooWide = widest + "d";
    String wide = "é".repeat(1000); // 2000 bytes: VARCHAR(2048) on Redshift
    try (SegmentRedshift segment = t.open(schema)) {
      LoadResult r =
          segment.load(
              List.of(
                  track("widest", Map.of("big", widest, "mid", wide)),
                  track("too-wide", Map.of("big", tooWide, "mid", wide))));
      assertEquals(t.redshift() ? 1 : 0, r.discards());
    }
    Map<String, Map<String, Object>> rows = byId(Tables.rows(t.read(), schema, "values_tested"));
    assertEquals(widest, rows.get("widest").get("big"));
    assertEquals(wide, rows.get("widest").get("mid"));
    assertEquals(t.redshift() ? null : tooWide, rows.get("too-wide").get("big"));
    if (t.redshift()) {
      assertEquals(
          "TOO_LONG",
          Tables.scalar(
              t.read(),
              "SELECT reason FROM \"" + schema + "\".\"_discards\" WHERE row_id = 'too-wide'"));
      assertEquals(
          65535,
          ((Number)
                  Tables.scalar(
                      t.read(),
                      "SELECT character_maximum_length FROM information_schema.columns"
                          + " WHERE table_schema = ? AND table_name = 'values_tested'"
                          + " AND column_name = 'big'",
                      schema))
              .intValue());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {Targets.S3_COPY, Targets.INSERT, Targets.PG_COPY})
  void numbersBooleansAndTimestampsComeBackExactly(String loader) throws SQLException {
    Targets t = Targets.of(loader, PG, RS);
    String schema = schema("scalars", loader);
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("tiny", 1.0E-5);
    props.put("pi", Math.PI);
    props.put("negative_zero", -0.0);
    props.put("big_double", 1.7976931348623157E308);
    props.put("max_long", Long.MAX_VALUE);
    props.put("min_long", Long.MIN_VALUE);
    props.put("yes", true);
    props.put("no", false);
    props.put("offset_time", "2024-03-05T10:11:12.654321+01:30");
    props.put("first_day", "0001-01-01T00:00:00Z");
    props.put("last_moment", "9999-12-31T23:59:59.999999Z");
    props.put("julian_gap", "1582-10-10T12:00:00Z");
    try (SegmentRedshift segment = t.open(schema)) {
      segment.load(List.of(track("s", props)));
    }
    Map<String, Object> row = Tables.rows(t.read(), schema, "values_tested").get(0);
    assertEquals("1.0E-5", row.get("tiny"));
    assertEquals(Double.toString(Math.PI), row.get("pi"));
    assertEquals("-0.0", row.get("negative_zero"));
    assertEquals("1.7976931348623157E308", row.get("big_double"));
    assertEquals(Long.MAX_VALUE, row.get("max_long"));
    assertEquals(Long.MIN_VALUE, row.get("min_long"));
    assertEquals(true, row.get("yes"));
    assertEquals(false, row.get("no"));
    assertEquals("2024-03-05T08:41:12.654321Z", row.get("offset_time"));
    assertEquals("0001-01-01T00:00:00Z", row.get("first_day"));
    assertEquals("9999-12-31T23:59:59.999999Z", row.get("last_moment"));
    assertEquals("1582-10-10T12:00:00Z", row.get("julian_gap"));
    assertEquals("2024-03-05T10:11:12.123456Z", row.get("timestamp"));
    assertEquals(Targets.LOADED.toString(), row.get("uuid_ts"));
  }

  static String schema(String prefix, String loader) {
    return prefix + "_" + loader.replaceAll("[^a-z0-9]+", "_");
  }

  static Map<String, Map<String, Object>> byId(List<Map<String, Object>> rows) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> r : rows) {
      out.put((String) r.get("id"), r);
    }
    return out;
  }

  private static String count(String schema, String table, String where) {
    return "SELECT COUNT(*) FROM \"" + schema + "\".\"" + table + "\" WHERE " + where;
  }
}
