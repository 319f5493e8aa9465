package io.segmentredshift.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.StagingTable;
import io.segmentredshift.load.pgcopy.PostgresCopyLoader;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.typemap.Coerced;
import io.segmentredshift.typemap.ColumnType;
import io.segmentredshift.typemap.TypeMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.time.api.DateTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Coerced values read back equal through {@link PostgresCopyLoader}, whose binary COPY writes each
 * value in its column type's binary form: every kind, timestamps of years 1 to 9999 into {@code
 * timestamptz} and into {@code timestamp} (the UTC wall clock, as the CSV text gives it), strings
 * long enough to be written in chunks with pairs at the chunk edges; and a table where a value is
 * not of its column's type is written as CSV, as before.
 */
class CopyRoundTripTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  private static final int SAMPLES = 600;

  private static Arbitrary<Object> values() {
    return Arbitraries.oneOf(
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L).map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(-0.0, Double.MIN_VALUE, Double.MAX_VALUE, 0.1).map(d -> (Object) d),
        Arbitraries.strings().ofMaxLength(300).map(s -> (Object) s),
        Arbitraries.strings()
            .withCharRange('\u00a0', '\ud7ff')
            .ofMaxLength(200)
            .map(s -> (Object) s),
        Arbitraries.of(
                "\ud83d\ude00".repeat(30_000),
                "a" + "\ud83d\ude00".repeat(40_000),
                "x".repeat(70_000),
                "\u00e9".repeat(25_000))
            .map(s -> (Object) s),
        DateTimes.instants()
            .between(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"))
            .map(i -> (Object) i),
        DateTimes.instants()
            .between(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"))
            .map(i -> (Object) i.toString()));
  }

  @Test
  void coercedValuesReadBackEqualThroughBinaryCopy() throws SQLException {
    Dialect dialect = Dialect.postgres();
    TypeMapper types = dialect.typeMapper();
    List<String> sqlTypes =
        List.of("boolean", "bigint", "double precision", "timestamptz", "timestamp", "text");
    List<ColumnType> kinds =
        List.of(
            ColumnType.BOOLEAN,
            ColumnType.BIGINT,
            ColumnType.DOUBLE,
            ColumnType.TIMESTAMP,
            ColumnType.TIMESTAMP,
            ColumnType.TEXT);
    List<Object> samples = values().sampleStream().limit(SAMPLES).toList();
    int checked = 0;
    try (Connection c = PG.connect();
        Statement st = c.createStatement()) {
      st.execute("SET TIME ZONE 'America/New_York'");
      for (int i = 0; i < kinds.size(); i++) {
        ColumnType type = kinds.get(i);
        TableSchema table =
            new TableSchema(
                "crt_" + i,
                TableKind.EVENT,
                List.of(new Column("n", ColumnType.BIGINT), new Column("v", type)));
        List<LoadRow> rows = new ArrayList<>();
        List<Object> expected = new ArrayList<>();
        for (Object value : samples) {
          Coerced coerced = types.coerce(value, type);
          if (coerced.ok()) {
            rows.add(new LoadRow(table, new Object[] {(long) rows.size(), coerced.value()}));
            expected.add(coerced.value());
          }
        }
        rows.add(new LoadRow(table, new Object[] {(long) rows.size(), null}));
        expected.add(null);
        st.execute("CREATE TEMP TABLE crt_" + i + " (n bigint, v " + sqlTypes.get(i) + ")");
        new PostgresCopyLoader()
            .stage(StagingTable.of(c, dialect, "crt_" + i, table, rows, "round-trip"));
        try (ResultSet rs = st.executeQuery("SELECT n, v FROM crt_" + i + " ORDER BY n")) {
          for (Object want : expected) {
            assertTrue(rs.next());
            Object back =
                switch (sqlTypes.get(i)) {
                  case "timestamptz" -> instant(rs.getObject(2, OffsetDateTime.class));
                  case "timestamp" -> wallClock(rs.getObject(2, LocalDateTime.class));
                  default -> rs.getObject(2);
                };
            assertEquals(want, back, "as " + sqlTypes.get(i));
            checked++;
          }
          assertTrue(!rs.next());
        }
      }
    }
    assertTrue(checked > SAMPLES, "checked " + checked);
  }

  @Test
  void aValueNotOfItsColumnsTypeIsWrittenAsCsvText() throws SQLException {
    Dialect dialect = Dialect.postgres();
    // A library table changed by hand: the catalog says text where the library writes a boolean
    // and a timestamp.
    TableSchema table =
        new TableSchema(
            "changed",
            TableKind.DISCARDS,
            List.of(
                new Column("id", ColumnType.TEXT),
                new Column("flag", ColumnType.TEXT),
                new Column("at", ColumnType.TEXT)));
    Instant at = Instant.parse("2024-03-05T10:11:12.123456789Z");
    List<LoadRow> rows = List.of(new LoadRow(table, new Object[] {"d1", true, at}));
    try (Connection c = PG.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE TEMP TABLE changed (id text, flag text, at text)");
      new PostgresCopyLoader()
          .stage(StagingTable.of(c, dialect, "changed", table, rows, "round-trip"));
      try (ResultSet rs = st.executeQuery("SELECT id, flag, at FROM changed")) {
        assertTrue(rs.next());
        assertEquals("d1", rs.getString(1));
        assertEquals("true", rs.getString(2));
        assertEquals("2024-03-05T10:11:12.123456Z", rs.getString(3));
      }
    }
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static Instant wallClock(LocalDateTime t) {
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }
}
