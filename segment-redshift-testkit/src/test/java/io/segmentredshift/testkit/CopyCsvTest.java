package io.segmentredshift.testkit;

import static io.segmentredshift.testkit.S3Objects.copy;
import static io.segmentredshift.testkit.S3Objects.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CopyCsvTest {
  @RegisterExtension
  static final EmbeddedRedshiftExtension REDSHIFT = new EmbeddedRedshiftExtension();

  private final S3Objects s3 = new S3Objects(REDSHIFT);

  @Test
  void loadsATwoFileGzipCsvManifestIntoATempTableOfTheSameSession() throws SQLException {
    String part0 =
        s3.putGzip(
            "csv/batch-1/part-0.csv.gz",
            "a1,\"Smith, \"\"Jo\"\"\",\"line1\nline2\",42,3.25,true,"
                + "2024-03-05T10:11:12.123456Z,2024-03-05T10:11:12.5+02:00,\n"
                + "a2,,\"\",-9223372036854775808,-1e10,f,2024-03-05 10:11:12,"
                + "2024-03-05 10:11:12Z,\\N\n");
    String part1 =
        s3.putGzip(
            "csv/batch-1/part-1.csv.gz",
            "a3,\\N,  ,9223372036854775807,0.1,yes,2024-03-05T10:11:12+05:00,"
                + "2024-03-05T10:11:12-08:00,7\n"
                + "a4, \"quoted, with blanks around\" ,x,,,,2024-03-05,"
                + "2024-12-31T23:59:59.999999Z,\r\n");
    String manifest = s3.manifest("csv/batch-1/manifest", part0, part1);
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("SET TIME ZONE 'UTC'");
      s.execute(
          "CREATE TEMP TABLE stage (id varchar(64) NOT NULL DISTKEY ENCODE zstd,"
              + " name varchar(256) ENCODE lzo, note varchar(256), n bigint, d double precision,"
              + " b boolean, ts timestamp SORTKEY, tz timestamptz, k integer) DISTSTYLE KEY");
      assertFalse(
          s.execute(
              copy(
                  "stage",
                  manifest,
                  "MANIFEST FORMAT AS CSV NULL AS '\\N' GZIP TIMEFORMAT 'auto'"
                      + " COMPUPDATE OFF STATUPDATE OFF REGION 'us-east-1'")));
      assertEquals(4, s.getUpdateCount());
      assertEquals(
          List.of(
              "a1|Smith, \"Jo\"|line1\nline2|42|3.25|t|2024-03-05 10:11:12.123456"
                  + "|2024-03-05 08:11:12.5+00|null",
              "a2|||-9223372036854775808|-10000000000|f|2024-03-05 10:11:12"
                  + "|2024-03-05 10:11:12+00|null",
              "a3|null|  |9223372036854775807|0.1|t|2024-03-05 10:11:12"
                  + "|2024-03-05 18:11:12+00|7",
              "a4|quoted, with blanks around|x|null|null|null|2024-03-05 00:00:00"
                  + "|2024-12-31 23:59:59.999999+00|null"),
          rows(c, "SELECT * FROM stage ORDER BY id"));
    }
  }

  @Test
  void loadsEveryObjectUnderAKeyPrefix() throws SQLException {
    s3.put("prefix/data-1.csv", "1\n2\n");
    s3.put("prefix/data-2.csv", "3\n");
    s3.put("prefix/database.csv", "4\n");
    s3.put("prefix/other.csv", "99\n");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE p (n int)");
      assertEquals(
          4, s.executeUpdate(copy("p", "s3://" + REDSHIFT.bucket() + "/prefix/data", "CSV")));
      assertEquals(List.of("1", "2", "3", "4"), rows(c, "SELECT n FROM p ORDER BY n"));
    }
  }

  @Test
  void honoursDelimiterQuoteNullAsIgnoreHeaderAndAColumnList() throws SQLException {
    String file =
        s3.put(
            "options/pipes.txt",
            "name|id|ignored header\n%a|b%|1\nNULL|2\n%%%%|3\n%100%%%|4\n%%|5\n");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE o (id int, name varchar(8), born date DEFAULT '2000-01-01')");
      s.execute(
          copy(
              "o (name, id)",
              file,
              "CSV QUOTE AS '%' DELIMITER AS '|' NULL AS 'NULL' IGNOREHEADER 1"));
      assertEquals(
          List.of(
              "1|a|b|2000-01-01",
              "2|null|2000-01-01",
              "3|%|2000-01-01",
              "4|100%|2000-01-01",
              "5||2000-01-01"),
          rows(c, "SELECT * FROM o ORDER BY id"));
    }
  }

  @Test
  void emptyAsNullAndBlanksAsNullTurnCharacterFieldsIntoNull() throws SQLException {
    String file = s3.put("options/blanks.csv", "1,,\"\",\"  \"\n");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE e (id int, a varchar(4), b varchar(4), c varchar(4))");
      s.execute(copy("e", file, "CSV"));
      s.execute(copy("e", file, "CSV EMPTYASNULL BLANKSASNULL"));
      assertEquals(
          List.of("1|||  ", "1|null|null|null"), rows(c, "SELECT * FROM e ORDER BY a NULLS LAST"));
    }
  }

  @Test
  void countsVarcharWidthsInBytesUnlessTruncatecolumns() throws SQLException {
    String file = s3.put("width/values.csv", "héllo\n€€\nabc\n");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE w (v varchar(5))");
      SQLException e = assertThrows(SQLException.class, () -> s.execute(copy("w", file, "CSV")));
      assertTrue(e.getMessage().contains("Load into table 'w' failed"), e.getMessage());
      assertEquals(
          List.of("1|1204|v|5|héllo|String length exceeds DDL length"),
          rows(
              c,
              "SELECT line_number, err_code, trim(colname), trim(col_length),"
                  + " trim(raw_field_value), trim(err_reason) FROM stl_load_errors"
                  + " WHERE query = pg_last_copy_id()"));
      assertEquals(List.of("0"), rows(c, "SELECT count(*) FROM w"));
      s.execute(copy("w", file, "CSV TRUNCATECOLUMNS"));
      assertEquals(
          List.of("abc", "héll", "€"), rows(c, "SELECT v FROM w ORDER BY v COLLATE \"C\""));
    }
  }

  @Test
  void replacesEachInvalidUtf8ByteOnlyWithAcceptinvchars() throws SQLException {
    byte[] data = {
      '1', ',', 'a', (byte) 0xff, 'b', '\n', '2', ',', (byte) 0xe2, (byte) 0x82, 'c', '\n'
    };
    String file = s3.put("utf8/bad.csv", data);
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE u (id int, v varchar(10))");
      assertThrows(SQLException.class, () -> s.execute(copy("u", file, "CSV")));
      assertEquals(
          List.of("1|1220|v|1"),
          rows(
              c,
              "SELECT line_number, err_code, trim(colname), position FROM stl_load_errors"
                  + " WHERE query = pg_last_copy_id()"));
      s.execute(copy("u", file, "CSV ACCEPTINVCHARS AS '^'"));
      s.execute(copy("u", file, "CSV ACCEPTINVCHARS"));
      assertEquals(
          List.of("1|a?b", "1|a^b", "2|??c", "2|^^c"),
          rows(c, "SELECT id, v FROM u ORDER BY id, v COLLATE \"C\""));
      String loaded = rows(c, "SELECT v FROM u WHERE id = 2 ORDER BY v").get(0);
      assertEquals(
          3, loaded.getBytes(StandardCharsets.UTF_8).length, "one replacement per bad byte");
    }
  }
}
