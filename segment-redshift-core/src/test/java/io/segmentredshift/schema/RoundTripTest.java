package io.segmentredshift.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.StagingTable;
import io.segmentredshift.load.copy.S3CopyLoader;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import io.segmentredshift.typemap.Coerced;
import io.segmentredshift.typemap.ColumnType;
import io.segmentredshift.typemap.TypeMapper;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * A coerced value reads back equal: on PostgreSQL written with a prepared INSERT, on Redshift
 * written as CSV to S3 and loaded by the emulation's COPY, which applies Redshift's value rules.
 */
class RoundTripTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();
  @RegisterExtension static final EmbeddedRedshiftExtension RS = new EmbeddedRedshiftExtension();

  private static final int SAMPLES = 600;

  private static Arbitrary<Object> values() {
    return Arbitraries.oneOf(
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.longs().between(-(1L << 53), 1L << 53).map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.doubles().ofScale(0).between(-1e15, 1e15).map(d -> (Object) d),
        Arbitraries.strings().ofMaxLength(300).map(s -> (Object) s),
        Arbitraries.strings()
            .withCharRange('\u00a0', '\ud7ff')
            .ofMaxLength(200)
            .map(s -> (Object) s),
        Arbitraries.strings().withChars(",\"'\\\n\r\t ~N").ofMaxLength(20).map(s -> (Object) s),
        DateTimes.instants()
            .between(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"))
            .map(i -> (Object) i.toString()),
        Arbitraries.bigIntegers()
            .between(BigInteger.TWO.pow(64), BigInteger.TWO.pow(100))
            .map(b -> (Object) b));
  }

  private static List<ColumnType> targets(TypeMapper types) {
    return List.of(
        ColumnType.BOOLEAN,
        ColumnType.BIGINT,
        ColumnType.DOUBLE,
        ColumnType.TIMESTAMP,
        types.varcharFor(2048));
  }

  @Test
  void coercedValuesReadBackEqualFromPostgres() throws SQLException {
    Dialect dialect = Dialect.postgres();
    TypeMapper types = dialect.typeMapper();
    List<ColumnType> targets = targets(types);
    int checked = 0;
    try (Connection c = PG.connect();
        Statement st = c.createStatement()) {
      st.execute("SET TIME ZONE 'UTC'");
      for (int i = 0; i < targets.size(); i++) {
        st.execute("CREATE TEMP TABLE rt_" + i + " (v " + dialect.sqlType(targets.get(i)) + ")");
      }
      for (Object value : values().sampleStream().limit(SAMPLES).toList()) {
        for (int i = 0; i < targets.size(); i++) {
          ColumnType type = targets.get(i);
          Coerced coerced = types.coerce(value, type);
          if (!coerced.ok()) {
            continue;
          }
          st.execute("TRUNCATE rt_" + i);
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO rt_" + i + " VALUES (?)")) {
            Object v = coerced.value();
            ps.setObject(
                1, v instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : v);
            ps.executeUpdate();
          }
          try (ResultSet rs = st.executeQuery("SELECT v FROM rt_" + i)) {
            rs.next();
            Object back =
                type.kind() == ColumnType.Kind.TIMESTAMP
                    ? rs.getObject(1, OffsetDateTime.class).toInstant()
                    : rs.getObject(1);
            assertEquals(coerced.value(), back, value + " as " + type);
            checked++;
          }
        }
      }
    }
    assertTrue(checked > SAMPLES, "checked " + checked);
  }

  @Test
  void coercedValuesReadBackEqualThroughRedshiftCopy() throws SQLException {
    Dialect dialect = Dialect.redshift();
    TypeMapper types = dialect.typeMapper();
    List<ColumnType> targets = targets(types);
    List<Object> samples = values().sampleStream().limit(SAMPLES).toList();
    S3CopyLoader loader =
        S3CopyLoader.builder(RS.s3(), RS.bucket())
            .iamRole(EmbeddedRedshiftExtension.IAM_ROLE)
            .build();
    int checked = 0;
    try (Connection c = RS.connect();
        Statement st = c.createStatement()) {
      for (int i = 0; i < targets.size(); i++) {
        ColumnType type = targets.get(i);
        TableSchema table =
            new TableSchema(
                "rt_" + i,
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
        st.execute("CREATE TEMP TABLE rt_" + i + " (n BIGINT, v " + dialect.sqlType(type) + ")");
        loader.stage(StagingTable.of(c, dialect, "rt_" + i, table, rows, "round-trip"));
        try (ResultSet rs = st.executeQuery("SELECT n, v FROM rt_" + i + " ORDER BY n")) {
          for (Object want : expected) {
            assertTrue(rs.next());
            Object back =
                type.kind() == ColumnType.Kind.TIMESTAMP
                    ? rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC)
                    : rs.getObject(2);
            assertEquals(want, back, "as " + type);
            checked++;
          }
        }
      }
    }
    assertTrue(checked > SAMPLES, "checked " + checked);
  }
}
