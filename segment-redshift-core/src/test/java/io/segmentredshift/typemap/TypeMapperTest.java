package io.segmentredshift.typemap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.typemap.ColumnType.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TypeMapperTest {
  private static final TypeMapper REDSHIFT = new TypeMapper(LengthUnit.UTF8_BYTES, 65535);
  private static final TypeMapper POSTGRES =
      new TypeMapper(LengthUnit.CHARACTERS, ColumnType.UNBOUNDED);

  @Test
  void valuesMapToTheFiveKinds() {
    assertEquals(Kind.BOOLEAN, TypeMapper.kindOf(true));
    assertEquals(Kind.BIGINT, TypeMapper.kindOf(14L));
    assertEquals(Kind.DOUBLE, TypeMapper.kindOf(27.5));
    assertEquals(Kind.TIMESTAMP, TypeMapper.kindOf("2024-03-05T10:11:12.123Z"));
    assertEquals(Kind.VARCHAR, TypeMapper.kindOf("USD"));
    assertEquals(Kind.VARCHAR, TypeMapper.kindOf(new BigInteger("123456789012345678901234567890")));
    assertEquals(Kind.VARCHAR, TypeMapper.kindOf(new BigDecimal("1e400")));
    assertEquals(Kind.TIMESTAMP, TypeMapper.kindOf(Instant.EPOCH));
    assertNull(TypeMapper.kindOf(null));
    assertNull(TypeMapper.kindOf("a\u0000b"));
    assertNull(TypeMapper.kindOf("\ud800"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-03-05T10:11:12Z",
        "2024-03-05T10:11:12.1Z",
        "2024-03-05T10:11:12.123456Z",
        "2024-03-05T10:11:12+01:00",
        "2024-03-05T10:11:12-0530",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999Z",
      })
  void strictIsoTimestampsAreTimestamps(String s) {
    assertEquals(Kind.TIMESTAMP, TypeMapper.kindOf(s), s);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024",
        "1.5",
        "2024-03-05",
        "2024-03-05T10:11",
        "2024-03-05T10:11:12",
        "2024-03-05 10:11:12Z",
        "2024-03-05T10:11:12.1234567Z",
        "2024-02-30T10:11:12Z",
        "2024-03-05T24:00:00Z",
        "2024-03-05T10:11:12z",
        "2024-03-05t10:11:12Z",
        "2024-03-05T10:11:12+1",
        "0001-01-01T00:00:00+01:00",
        "+2024-03-05T10:11:12Z",
        "１２３４-03-05T10:11:12Z",
        "2024-03-05T10:11:60Z",
      })
  void otherStringsAreVarchar(String s) {
    assertEquals(Kind.VARCHAR, TypeMapper.kindOf(s), s);
  }

  @Test
  void offsetsAreConvertedToUtc() {
    assertEquals(
        Instant.parse("2024-03-05T09:11:12Z"), TypeMapper.timestamp("2024-03-05T10:11:12+0100"));
  }

  @Test
  void joinIsTheDocumentedLattice() {
    assertEquals(Kind.DOUBLE, TypeMapper.join(Kind.BIGINT, Kind.DOUBLE));
    assertEquals(Kind.VARCHAR, TypeMapper.join(Kind.TIMESTAMP, Kind.VARCHAR));
    assertEquals(Kind.VARCHAR, TypeMapper.join(Kind.BOOLEAN, Kind.BIGINT));
    assertEquals(Kind.VARCHAR, TypeMapper.join(Kind.TIMESTAMP, Kind.DOUBLE));
    assertEquals(Kind.BOOLEAN, TypeMapper.join(null, Kind.BOOLEAN));
    assertEquals(Kind.TIMESTAMP, TypeMapper.join(Kind.TIMESTAMP, Kind.TIMESTAMP));
  }

  private static final Kind[] WRITTEN = {
    Kind.BOOLEAN, Kind.BIGINT, Kind.DOUBLE, Kind.TIMESTAMP, Kind.VARCHAR
  };

  @Property
  void joinIsCommutativeAssociativeAndIdempotent(
      @ForAll @IntRange(max = 5) int a,
      @ForAll @IntRange(max = 5) int b,
      @ForAll @IntRange(max = 5) int c) {
    Kind x = a == 5 ? null : WRITTEN[a];
    Kind y = b == 5 ? null : WRITTEN[b];
    Kind z = c == 5 ? null : WRITTEN[c];
    assertEquals(TypeMapper.join(x, y), TypeMapper.join(y, x));
    assertEquals(
        TypeMapper.join(TypeMapper.join(x, y), z), TypeMapper.join(x, TypeMapper.join(y, z)));
    assertEquals(x, TypeMapper.join(x, x));
  }

  @Provide
  Arbitrary<List<Object>> batches() {
    return scalars().list().ofMaxSize(30);
  }

  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
        Arbitraries.of("2024-03-05T10:11:12Z", "1999-01-01T00:00:00.5+02:00").map(s -> (Object) s),
        Arbitraries.bigIntegers()
            .between(BigInteger.TWO.pow(70), BigInteger.TWO.pow(80))
            .map(b -> (Object) b));
  }

  /** Any order of a batch's values gives the same column type. */
  @Property(tries = 300)
  void theTypeABatchChoosesDoesNotDependOnOrder(
      @ForAll("batches") List<Object> values, @ForAll long seed) {
    List<Object> shuffled = new ArrayList<>(values);
    Collections.shuffle(shuffled, new Random(seed));
    assertEquals(summary(values), summary(shuffled));
  }

  private static ColumnType summary(List<Object> values) {
    Kind kind = null;
    int longest = 0;
    for (Object v : values) {
      Kind k = TypeMapper.kindOf(v);
      if (k != null) {
        kind = TypeMapper.join(kind, k);
        longest = Math.max(longest, REDSHIFT.length(TypeMapper.text(v)));
      }
    }
    return kind == null ? null : REDSHIFT.newColumn(kind, longest);
  }

  /** Every value of a batch fits the column the batch creates, unless it is over the maximum. */
  @Property(tries = 300)
  void aNewColumnHoldsEveryValueOfItsBatch(@ForAll("batches") List<Object> values) {
    ColumnType type = summary(values);
    if (type == null) {
      return;
    }
    for (Object v : values) {
      if (TypeMapper.kindOf(v) == null) {
        continue;
      }
      Coerced c = REDSHIFT.coerce(v, type);
      if (!c.ok()) {
        // Only a long that a double cannot hold exactly may miss a double column.
        assertEquals(DiscardReason.PRECISION_LOSS, c.rejected(), v + " into " + type);
      }
    }
  }

  @Property
  void wideningNeverNarrows(
      @ForAll @IntRange(min = 1, max = 70000) int width,
      @ForAll @IntRange(max = 200000) int needed) {
    ColumnType current = ColumnType.varchar(width);
    for (TypeMapper m : new TypeMapper[] {REDSHIFT, POSTGRES}) {
      ColumnType wider = m.widen(current, needed);
      assertTrue(wider.width() >= current.width(), wider + " < " + current);
      if (needed <= m.maxWidth()) {
        assertTrue(wider.width() >= needed || wider.width() >= width, wider.toString());
      }
      assertTrue(wider.unbounded() || wider.width() <= Math.max(width, m.maxWidth()));
    }
  }

  @Test
  void redshiftVarcharsStartAt512AndGrowByPowersOfTwoTo65535() {
    assertEquals(ColumnType.varchar(512), REDSHIFT.varcharFor(3));
    assertEquals(ColumnType.varchar(1024), REDSHIFT.varcharFor(513));
    assertEquals(ColumnType.varchar(65535), REDSHIFT.varcharFor(40000));
    assertEquals(ColumnType.varchar(65535), REDSHIFT.varcharFor(100000));
    assertEquals(ColumnType.varchar(2048), REDSHIFT.widen(ColumnType.varchar(512), 1500));
    assertEquals(ColumnType.varchar(512), REDSHIFT.widen(ColumnType.varchar(512), 512));
    assertEquals(ColumnType.TEXT, POSTGRES.varcharFor(10));
    assertEquals(ColumnType.TEXT, POSTGRES.widen(ColumnType.varchar(512), 600));
  }

  @Test
  void widthsCountUtf8BytesOnRedshiftAndCharactersOnPostgres() {
    String s = "é".repeat(300) + "😀";
    assertEquals(604, REDSHIFT.length(s));
    assertEquals(301, POSTGRES.length(s));
    assertEquals(DiscardReason.TOO_LONG, REDSHIFT.coerce(s, ColumnType.varchar(512)).rejected());
    assertEquals(s, POSTGRES.coerce(s, ColumnType.varchar(512)).value());
    assertEquals(
        DiscardReason.TOO_LONG,
        REDSHIFT.coerce("x".repeat(65536), ColumnType.varchar(65535)).rejected());
  }

  @Test
  void coercionKeepsValuesOnlyWhenNothingIsLost() {
    assertEquals(14.0, REDSHIFT.coerce(14L, ColumnType.DOUBLE).value());
    assertEquals(
        DiscardReason.PRECISION_LOSS,
        REDSHIFT.coerce((1L << 53) + 1, ColumnType.DOUBLE).rejected());
    assertEquals(
        DiscardReason.PRECISION_LOSS,
        REDSHIFT.coerce(Long.MAX_VALUE, ColumnType.DOUBLE).rejected());
    assertEquals(25L, REDSHIFT.coerce(25.0, ColumnType.BIGINT).value());
    assertEquals(DiscardReason.TYPE_CONFLICT, REDSHIFT.coerce(25.5, ColumnType.BIGINT).rejected());
    assertEquals(DiscardReason.OUT_OF_RANGE, REDSHIFT.coerce(1e19, ColumnType.BIGINT).rejected());
    assertEquals(
        DiscardReason.OUT_OF_RANGE,
        REDSHIFT.coerce(BigInteger.TWO.pow(64), ColumnType.BIGINT).rejected());
    assertEquals(0x1p70, REDSHIFT.coerce(BigInteger.TWO.pow(70), ColumnType.DOUBLE).value());
    assertEquals(
        DiscardReason.OUT_OF_RANGE,
        REDSHIFT.coerce(new BigDecimal("1e400"), ColumnType.DOUBLE).rejected());
    assertEquals(DiscardReason.TYPE_CONFLICT, REDSHIFT.coerce("abc", ColumnType.BIGINT).rejected());
    assertEquals(DiscardReason.TYPE_CONFLICT, REDSHIFT.coerce("5", ColumnType.BIGINT).rejected());
    assertEquals(DiscardReason.TYPE_CONFLICT, REDSHIFT.coerce(1L, ColumnType.BOOLEAN).rejected());
    assertEquals(
        DiscardReason.TYPE_CONFLICT, REDSHIFT.coerce("yesterday", ColumnType.TIMESTAMP).rejected());
    assertEquals(
        Instant.parse("2024-03-05T10:11:12.123Z"),
        REDSHIFT.coerce("2024-03-05T10:11:12.123Z", ColumnType.TIMESTAMP).value());
    assertEquals(
        DiscardReason.OUT_OF_RANGE,
        REDSHIFT.coerce(Instant.parse("+10000-01-01T00:00:00Z"), ColumnType.TIMESTAMP).rejected());
    assertEquals(
        Instant.parse("2024-03-05T10:11:12.123456Z"),
        REDSHIFT
            .coerce(Instant.parse("2024-03-05T10:11:12.123456789Z"), ColumnType.TIMESTAMP)
            .value());
    assertEquals("true", REDSHIFT.coerce(true, ColumnType.varchar(512)).value());
    assertEquals("27.5", REDSHIFT.coerce(27.5, ColumnType.varchar(512)).value());
    assertEquals(
        "123456789012345678901234567890",
        REDSHIFT
            .coerce(new BigInteger("123456789012345678901234567890"), ColumnType.varchar(512))
            .value());
    assertEquals(
        DiscardReason.INVALID_TEXT, REDSHIFT.coerce("a\u0000", ColumnType.varchar(512)).rejected());
    assertEquals(
        DiscardReason.INVALID_TEXT, REDSHIFT.coerce("\udc00x", ColumnType.varchar(512)).rejected());
    assertEquals(
        DiscardReason.UNSUPPORTED_COLUMN,
        REDSHIFT.coerce(1L, ColumnType.other("integer")).rejected());
    assertTrue(REDSHIFT.coerce(null, ColumnType.BIGINT).ok());
  }

  @Property(tries = 500)
  void aLongIntoADoubleColumnIsKeptExactlyOrRejected(@ForAll long v) {
    Coerced c = REDSHIFT.coerce(v, ColumnType.DOUBLE);
    if (c.ok()) {
      assertEquals(new BigDecimal(v), new BigDecimal((Double) c.value()));
    } else {
      assertEquals(DiscardReason.PRECISION_LOSS, c.rejected());
    }
  }

  @Test
  void jsonTextEscapesWhatNoWarehouseStores() {
    assertEquals("[\"a\",\"b\"]", JsonText.write(List.of("a", "b")));
    assertEquals("\"a\\u0000b\\ud800\"", JsonText.write("a\u0000b\ud800"));
    assertEquals(
        "{\"k\":[1,2.5,true,null]}",
        JsonText.write(
            java.util.Collections.singletonMap("k", java.util.Arrays.asList(1L, 2.5, true, null))));
    assertEquals("\"😀\"", JsonText.quote("😀"));
  }
}
