package io.segmentredshift.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.testkit.FieldConverter.BadField;
import io.segmentredshift.testkit.FieldConverter.Column;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FieldConverterTest {
  private static final Column VARCHAR5 = Column.of("v", 1043, 5 + 4, false);
  private static final Column BIGINT = Column.of("n", 20, -1, false);
  private static final Column TIMESTAMP = Column.of("ts", 1114, -1, false);
  private static final Column TIMESTAMPTZ = Column.of("tz", 1184, -1, false);

  private static FieldConverter converter(String options) {
    try {
      String sql = "COPY t FROM 's3://b/k' IAM_ROLE default CSV " + options;
      return new FieldConverter(
          CopyCommand.parse(
              SqlLexer.tokenize(sql).stream().filter(SqlLexer.Token::significant).toList()));
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static int code(FieldConverter converter, Column column, String raw) {
    return assertThrows(BadField.class, () -> converter.convert(column, raw)).code;
  }

  @Test
  void loadsEmptyFieldsByRedshiftsRulesNotPostgresqls() throws BadField {
    FieldConverter plain = converter("");
    assertEquals("", plain.convert(VARCHAR5, ""));
    assertNull(plain.convert(BIGINT, ""));
    assertNull(plain.convert(TIMESTAMP, ""));
    assertEquals("  ", plain.convert(VARCHAR5, "  "));
    FieldConverter nulls = converter("EMPTYASNULL BLANKSASNULL");
    assertNull(nulls.convert(VARCHAR5, ""));
    assertNull(nulls.convert(VARCHAR5, " \t"));
    assertEquals(1213, code(plain, Column.of("x", 1043, -1, true), null));
  }

  @Test
  void countsVarcharWidthsInBytes() throws BadField {
    FieldConverter plain = converter("");
    assertEquals("héll", plain.convert(VARCHAR5, "héll"));
    assertEquals(1204, code(plain, VARCHAR5, "héllo"));
    FieldConverter truncating = converter("TRUNCATECOLUMNS");
    assertEquals("héll", truncating.convert(VARCHAR5, "héllo"));
    assertEquals("€", truncating.convert(VARCHAR5, "€€"));
    assertEquals("ab", truncating.convert(VARCHAR5, "ab😀"));
  }

  @Test
  void convertsIntegersFloatsBooleansAndDecimals() throws BadField {
    FieldConverter c = converter("");
    assertEquals("-9223372036854775808", c.convert(BIGINT, "-9223372036854775808"));
    assertEquals(1204, code(c, BIGINT, "9223372036854775808"));
    assertEquals(1204, code(c, Column.of("i", 23, -1, false), "2147483648"));
    BadField digit = assertThrows(BadField.class, () -> c.convert(BIGINT, "12a4"));
    assertEquals(1207, digit.code);
    assertEquals(2, digit.position);
    assertEquals(1207, code(c, BIGINT, "1.0"));
    Column dbl = Column.of("d", 701, -1, false);
    assertEquals("-1.0E10", c.convert(dbl, "-1e10"));
    assertEquals("0.1", c.convert(dbl, ".1"));
    assertEquals("NaN", c.convert(dbl, "nan"));
    assertEquals(1208, code(c, dbl, "1.0d"));
    assertEquals(1208, code(c, dbl, "0x1p3"));
    assertEquals(1204, code(c, dbl, "1e400"));
    Column bool = Column.of("b", 16, -1, false);
    assertEquals("t", c.convert(bool, "YES"));
    assertEquals("f", c.convert(bool, "0"));
    assertEquals(1210, code(c, bool, "maybe"));
    Column decimal = Column.of("m", 1700, ((10 << 16) | 2) + 4, false);
    assertEquals("12.34", c.convert(decimal, "12.349"));
    assertEquals(1204, code(c, decimal, "123456789.1"));
    assertEquals(1209, code(c, decimal, "1e3"));
  }

  @Test
  void readsTimeformatAutoAndIgnoresOffsetsForTimestampOnly() throws BadField {
    FieldConverter auto = converter("TIMEFORMAT 'auto'");
    assertEquals(
        "2024-03-05 10:11:12.123456", auto.convert(TIMESTAMP, "2024-03-05T10:11:12.123456Z"));
    assertEquals("2024-03-05 10:11:12.500000", auto.convert(TIMESTAMP, "2024-03-05 10:11:12.5"));
    assertEquals(
        "2024-03-05 10:11:12.000000", auto.convert(TIMESTAMP, "2024-03-05T10:11:12+05:00"));
    assertEquals(
        "2024-03-05 05:11:12.000000+00", auto.convert(TIMESTAMPTZ, "2024-03-05T10:11:12+05:00"));
    assertEquals(
        "2024-03-05 18:41:12.000000+00", auto.convert(TIMESTAMPTZ, "2024-03-05 10:11:12-0830"));
    assertEquals("2024-03-05 00:00:00.000000", auto.convert(TIMESTAMP, "2024-03-05"));
    assertEquals(1206, code(auto, TIMESTAMP, "2024-02-30T10:11:12Z"));
    assertEquals(1206, code(auto, TIMESTAMP, "2024-03-05T10:11:12.1234567Z"));
    assertEquals(1206, code(auto, TIMESTAMP, "1709633472"));
    FieldConverter plain = converter("");
    assertEquals("2024-03-05 10:11:12.000000", plain.convert(TIMESTAMP, "2024-03-05 10:11:12"));
    assertEquals(1206, code(plain, TIMESTAMP, "2024-03-05T10:11:12"));
    assertEquals(1206, code(plain, TIMESTAMP, "2024-03-05 10:11:12Z"));
    Column date = Column.of("d", 1082, -1, false);
    assertEquals("2024-03-05", converter("DATEFORMAT 'auto'").convert(date, "2024-03-05T10:11"));
    assertEquals(1205, code(plain, date, "2024-03-05T10:11"));
  }

  @Test
  void refusesMultibyteCharactersInChar() {
    assertEquals(1220, code(converter(""), Column.of("c", 1042, 10 + 4, false), "é"));
  }

  @Property
  void truncationKeepsACharacterBoundaryPrefixWithinTheWidth(
      @ForAll String text, @ForAll @IntRange(min = 0, max = 40) int width) {
    // Text decoded from UTF-8 never holds an unpaired surrogate.
    Assume.that(
        text.equals(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
    String cut = Utf8.truncate(text, width);
    assertTrue(text.startsWith(cut));
    assertTrue(Utf8.length(cut) <= width);
    assertEquals(cut.getBytes(StandardCharsets.UTF_8).length, Utf8.length(cut));
    if (cut.length() < text.length()) {
      int next = text.codePointAt(cut.length());
      assertTrue(Utf8.length(cut + Character.toString(next)) > width);
    }
  }

  @Property
  void replacingInvalidBytesKeepsValidTextAndOneCharacterPerBadByte(@ForAll byte[] bytes) {
    String decoded = Utf8.decode(bytes, 0, bytes.length, '?');
    if (Utf8.firstInvalid(bytes, 0, bytes.length) < 0) {
      assertEquals(new String(bytes, StandardCharsets.UTF_8), decoded);
    }
    byte[] again = decoded.getBytes(StandardCharsets.UTF_8);
    assertEquals(-1, Utf8.firstInvalid(again, 0, again.length));
    assertEquals(bytes.length, Utf8.length(decoded));
  }
}
