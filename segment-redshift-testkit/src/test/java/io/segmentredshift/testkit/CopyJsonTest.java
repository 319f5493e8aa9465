package io.segmentredshift.testkit;

import static io.segmentredshift.testkit.S3Objects.copy;
import static io.segmentredshift.testkit.S3Objects.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CopyJsonTest {
  @RegisterExtension
  static final EmbeddedRedshiftExtension REDSHIFT = new EmbeddedRedshiftExtension();

  private final S3Objects s3 = new S3Objects(REDSHIFT);

  private static final String STAGE =
      "CREATE TEMP TABLE stage (id varchar(64) DISTKEY, name varchar(256), n bigint,"
          + " d double precision, b boolean, ts timestamp SORTKEY, props varchar(1024),"
          + " tags varchar(256), missing varchar(10))";

  @Test
  void loadsATwoFileGzipJsonManifestWithAuto() throws SQLException {
    String part0 =
        s3.putGzip(
            "json/batch-1/part-0.json.gz",
            "{\"id\": \"j1\", \"name\": \"Ann \\\"A\\\"\", \"n\": 5, \"d\": 1.5e3, \"b\": true,"
                + " \"ts\": \"2024-03-05T10:11:12.123Z\", \"props\": {\"a\": [1, 2], \"b\": \"x\"},"
                + " \"tags\": [\"x\", \"y\"], \"extra\": 1}\n"
                + "{\"id\": \"j2\", \"name\": \"\", \"n\": null, \"b\": false}\n");
    String part1 =
        s3.putGzip(
            "json/batch-1/part-1.json.gz",
            "{\n  \"id\": \"j3\",\n  \"name\": \"line1\\nline2 \\u00e9\",\n  \"n\": \"12\"\n}"
                + "{\"id\":\"j4\",\"d\":-0.5,\"ID\":\"upper\"}");
    String manifest = s3.manifest("json/batch-1/manifest", part0, part1);
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute(STAGE);
      assertEquals(
          4,
          s.executeUpdate(
              copy(
                  "stage",
                  manifest,
                  "MANIFEST FORMAT AS JSON 'auto' GZIP TIMEFORMAT 'auto' TRUNCATECOLUMNS")));
      assertEquals(
          List.of(
              "j1|Ann \"A\"|5|1500|t|2024-03-05 10:11:12.123|{\"a\": [1, 2], \"b\": \"x\"}"
                  + "|[\"x\", \"y\"]|null",
              "j2||null|null|f|null|null|null|null",
              "j3|line1\nline2 é|12|null|null|null|null|null|null",
              "j4|null|null|-0.5|null|null|null|null|null"),
          rows(c, "SELECT * FROM stage ORDER BY id"));
    }
  }

  @Test
  void matchesKeysCaseSensitivelyUnlessIgnorecase() throws SQLException {
    String file = s3.put("json/case.json", "{\"ID\": \"k1\", \"Name\": \"Mixed\", \"n\": 1}\n");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE k (id varchar(8), name varchar(8), n int)");
      s.execute(copy("k", file, "JSON 'auto'"));
      s.execute(copy("k", file, "FORMAT AS JSON 'auto ignorecase'"));
      assertEquals(
          List.of("k1|Mixed|1", "null|null|1"), rows(c, "SELECT * FROM k ORDER BY id NULLS LAST"));
    }
  }

  @Test
  void reportsTheLastLineOfABadJsonObject() throws SQLException {
    String file =
        s3.put(
            "json/bad.json",
            "{\"id\": \"ok\", \"n\": 1}\n{\n  \"id\": \"bad\",\n  \"n\": \"x1\"\n}\n{\"id\": 3");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute(STAGE);
      assertThrows(SQLException.class, () -> s.execute(copy("stage", file, "JSON 'auto'")));
      s.execute(copy("stage", file, "JSON 'auto' MAXERROR 2"));
      assertEquals(List.of("ok"), rows(c, "SELECT id FROM stage"));
      assertEquals(
          List.of(
              "5|n|1207|x1|Invalid digit, Value 'x', Pos 0, Type: Long",
              "6||1216||Invalid JSON: unterminated object"),
          rows(
              c,
              "SELECT line_number, trim(colname), err_code, trim(raw_field_value),"
                  + " trim(err_reason) FROM stl_load_errors WHERE query = pg_last_copy_id()"
                  + " ORDER BY line_number"));
    }
  }
}
