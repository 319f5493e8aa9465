package io.segmentredshift.typemap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The length a batch records for a value is the length of its text, counted without building it.
 */
class TextLengthTest {
  private static final List<TypeMapper> MAPPERS =
      List.of(
          new TypeMapper(LengthUnit.UTF8_BYTES, 65535),
          new TypeMapper(LengthUnit.CHARACTERS, ColumnType.UNBOUNDED));

  @Property(tries = 3000)
  void textLengthIsTheLengthOfTheText(@ForAll("scalars") Object value) {
    for (TypeMapper types : MAPPERS) {
      assertEquals(types.length(TypeMapper.text(value)), types.textLength(value), value::toString);
    }
  }

  @Provide
  Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(Object.class::cast),
        Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 9L, 10L, -10L, 999_999_999_999L)
            .map(Object.class::cast),
        Arbitraries.of(true, false).map(Object.class::cast),
        Arbitraries.doubles().filter(Double::isFinite).map(Object.class::cast),
        Arbitraries.strings().ofMaxLength(10).map(Object.class::cast),
        Arbitraries.bigIntegers()
            .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
            .map(Object.class::cast),
        Arbitraries.bigDecimals()
            .between(new BigDecimal("-1e20"), new BigDecimal("1e20"))
            .map(Object.class::cast),
        instants().map(Object.class::cast));
  }

  /** Instants of every year, with no fraction and with fractions of 3, 6 and 9 digits. */
  private static Arbitrary<Instant> instants() {
    Arbitrary<Long> seconds =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-62_200_000_000L, 253_500_000_000L),
            Arbitraries.of(
                -62_135_596_800L, -62_135_596_801L, 253_402_300_799L, 253_402_300_800L, 0L),
            Arbitraries.longs().between(-31_557_014_167_219_200L, 31_556_889_864_403_199L));
    Arbitrary<Integer> nanos =
        Arbitraries.oneOf(
            Arbitraries.of(0, 1, 1_000, 1_000_000, 999_999_999, 123_000_000, 123_456_000),
            Arbitraries.integers().between(0, 999_999_999));
    return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
  }
}
