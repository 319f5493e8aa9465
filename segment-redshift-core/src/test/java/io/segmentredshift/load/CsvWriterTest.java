package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.segmentredshift.schema.Column;
import io.segmentredshift.schema.LoadRow;
import io.segmentredshift.schema.TableKind;
import io.segmentredshift.schema.TableSchema;
import io.segmentredshift.schema.TestRows;
import io.segmentredshift.typemap.ColumnType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared CSV writer; the load tests check what the warehouses read back from it. */
class CsvWriterTest {
  private static final TableSchema TABLE =
      new TableSchema(
          "t",
          TableKind.EVENT,
          List.of(
              new Column("s", ColumnType.varchar(512)),
              new Column("b", ColumnType.BOOLEAN),
              new Column("l", ColumnType.BIGINT),
              new Column("d", ColumnType.DOUBLE),
              new Column("t", ColumnType.TIMESTAMP)));

  private static LoadRow row(Object... values) {
    return TestRows.row(TABLE, values);
  }

  private static String csv(String marker, LoadRow... rows) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CsvWriter w = new CsvWriter(out, marker);
    for (LoadRow r : rows) {
      w.write(r);
    }
    w.flush();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void stringsAreQuotedWithQuotesDoubledAndEverythingElseIsBare() throws IOException {
    assertEquals(
        "\"a \"\"b\"\", c\\d\nx\",true,-42,1.0E-5,2024-03-05T10:11:12.500000Z\n",
        csv(
            "~N~",
            row("a \"b\", c\\d\nx", true, -42L, 1.0E-5, Instant.parse("2024-03-05T10:11:12.5Z"))));
    assertEquals(
        "\"\",false,0,-0.0,0001-01-01T00:00:00.000000Z\n",
        csv("", row("", false, 0L, -0.0, Instant.parse("0001-01-01T00:00:00Z"))));
  }

  @Test
  void nullIsTheBareMarker() throws IOException {
    assertEquals("~N~,~N~,~N~,~N~,~N~\n", csv("~N~", row(null, null, null, null, null)));
    assertEquals(",,,,\n", csv("", row(null, null, null, null, null)));
    assertEquals("\"~N\",,,,\n", csv("", row("~N", null, null, null, null)));
  }

  @Test
  void linesCountNewlinesInsideValuesSoRecordsCanBeFoundByLine() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CsvWriter w = new CsvWriter(out, "");
    w.write(row("one", null, null, null, null));
    assertEquals(1, w.lines());
    w.write(row("two\nlines\r\nthree", null, null, null, null));
    assertEquals(4, w.lines());
    w.write(row("four", null, null, null, null));
    assertEquals(5, w.lines());
    w.flush();
    assertEquals(5, out.toString(StandardCharsets.UTF_8).split("\n", -1).length - 1);
    assertEquals(out.size(), w.bytes());
  }

  @Test
  void charactersAreWrittenAsUtf8() throws IOException {
    String text = "😀 é 日 \u07ff \u0800 \uffff";
    byte[] bytes = csv("", row(text, null, null, null, null)).getBytes(StandardCharsets.UTF_8);
    assertEquals("\"" + text + "\",,,,\n", new String(bytes, StandardCharsets.UTF_8));
    assertEquals(("\"" + text + "\",,,,\n").getBytes(StandardCharsets.UTF_8).length, bytes.length);
  }

  @Test
  void aValueLargerThanTheBufferIsWrittenWhole() throws IOException {
    String big = "x".repeat(100_000) + "😀".repeat(30_000);
    assertEquals("\"" + big + "\",,,,\n", csv("", row(big, null, null, null, null)));
  }

  @Test
  void textNoWarehouseStoresIsRefusedLoudly() {
    for (String bad :
        List.of("nul\u0000inside", "lone \ud800 high", "lone \udc00 low", "ends high \ud800")) {
      assertThrows(
          IllegalArgumentException.class, () -> csv("", row(bad, null, null, null, null)), bad);
    }
    assertThrows(
        IllegalArgumentException.class, () -> csv("~N~", row("~N~", null, null, null, null)));
    assertThrows(
        IllegalArgumentException.class, () -> new CsvWriter(new ByteArrayOutputStream(), "a,b"));
    assertThrows(
        IllegalArgumentException.class, () -> new CsvWriter(new ByteArrayOutputStream(), "\"q\""));
  }
}
