package io.segmentredshift.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.time.api.DateTimes;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A coerced value reads back equal from the real PostgreSQL, for each dialect's column types. */
class RoundTripTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

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
        DateTimes.instants()
            .between(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"))
            .map(i -> (Object) i.toString()),
        Arbitraries.bigIntegers()
            .between(BigInteger.TWO.pow(64), BigInteger.TWO.pow(100))
            .map(b -> (Object) b));
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "redshift"})
  void coercedValuesReadBackEqual(String dialectName) throws SQLException {
    Dialect dialect = dialectName.equals("redshift") ? Dialect.redshift() : Dialect.postgres();
    TypeMapper types = dialect.typeMapper();
    List<ColumnType> targets =
        List.of(
            ColumnType.BOOLEAN,
            ColumnType.BIGINT,
            ColumnType.DOUBLE,
            ColumnType.TIMESTAMP,
            types.varcharFor(2048));
    int checked = 0;
    try (Connection c = PG.connect();
        Statement st = c.createStatement()) {
      st.execute("SET TIME ZONE 'UTC'");
      for (int i = 0; i < targets.size(); i++) {
        st.execute("CREATE TEMP TABLE rt_" + i + " (v " + dialect.sqlType(targets.get(i)) + ")");
      }
      for (Object value : values().sampleStream().limit(600).toList()) {
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
    assertTrue(checked > 600, "checked " + checked);
  }
}
