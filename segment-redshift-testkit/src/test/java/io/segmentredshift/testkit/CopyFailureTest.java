package io.segmentredshift.testkit;

import static io.segmentredshift.testkit.S3Objects.copy;
import static io.segmentredshift.testkit.S3Objects.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CopyFailureTest {
  @RegisterExtension
  static final EmbeddedRedshiftExtension REDSHIFT = new EmbeddedRedshiftExtension();

  private final S3Objects s3 = new S3Objects(REDSHIFT);

  private static int lastCopyId(Connection c) throws SQLException {
    return Integer.parseInt(rows(c, "SELECT pg_last_copy_id()").get(0));
  }

  @Test
  void aBadValueFailsTheCopyAbortsTheTransactionAndLeavesAnStlLoadErrorsRow() throws SQLException {
    String good = s3.putGzip("fail/part-0.csv.gz", "g1,ok,1\n");
    String bad = s3.putGzip("fail/part-1.csv.gz", "r1,\"multi\nline\",1\nr2,ok,2\nr3,bad,12x\n");
    String manifest = s3.manifest("fail/manifest", good, bad);
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (n int)");
      s.execute("CREATE TEMP TABLE stage (id varchar(8), note varchar(16), n bigint)");
      c.setAutoCommit(false);
      s.execute("INSERT INTO kept VALUES (1)");
      SQLException e =
          assertThrows(
              SQLException.class, () -> s.execute(copy("stage", manifest, "MANIFEST CSV GZIP")));
      assertEquals("XX000", e.getSQLState());
      assertTrue(
          e.getMessage().startsWith("Load into table 'stage' failed.")
              && e.getMessage().endsWith("Check 'stl_load_errors' system table for details."),
          e.getMessage());
      assertFalse(e.getMessage().contains("12x"), "no row values in the message");

      SQLException aborted = assertThrows(SQLException.class, () -> rows(c, "SELECT 1"));
      assertEquals("25P02", aborted.getSQLState());
      c.rollback();
      c.setAutoCommit(true);

      assertEquals(List.of("0"), rows(c, "SELECT count(*) FROM kept"));
      int query = lastCopyId(c);
      assertTrue(query > 0);
      assertEquals(
          List.of(
              query
                  + "|1|"
                  + bad
                  + "|4|n|int8||r3,bad,12x|12x|1207|Invalid digit, Value 'x', Pos 2, Type: Long"),
          rows(
              c,
              "SELECT query, slice, trim(filename), line_number, trim(colname), trim(type),"
                  + " trim(col_length), trim(raw_line), trim(raw_field_value), err_code,"
                  + " trim(err_reason) FROM stl_load_errors WHERE query = pg_last_copy_id()"));
      assertEquals(
          List.of(query + "|" + bad + "|4|n|1207"),
          rows(
              c,
              "SELECT query_id, trim(file_name), line_number, trim(column_name), error_code"
                  + " FROM sys_load_error_detail WHERE query_id = pg_last_copy_id()"));
      assertEquals(
          List.of("stage"),
          rows(
              c,
              "SELECT c.relname FROM stl_load_errors e JOIN pg_class c ON c.oid = e.tbl"
                  + " WHERE e.query = pg_last_copy_id()"));
    }
  }

  @Test
  void maxErrorSkipsUpToThatManyBadRecordsAndLoadsTheRest() throws SQLException {
    String file = s3.put("maxerror/data.csv", "1,a\nx,b\n3,c\n4,d,extra\n5\n6,f\n");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE m (n int, v varchar(4))");
      assertThrows(SQLException.class, () -> s.execute(copy("m", file, "CSV MAXERROR 2")));
      int failed = lastCopyId(c);
      assertEquals(List.of("0"), rows(c, "SELECT count(*) FROM m"));
      assertEquals(3, s.executeUpdate(copy("m", file, "CSV MAXERROR AS 3")));
      int loaded = lastCopyId(c);
      assertTrue(loaded > failed);
      assertEquals(List.of("1|a", "3|c", "6|f"), rows(c, "SELECT * FROM m ORDER BY n"));
      assertEquals(
          List.of(
              failed + "|2|1207",
              failed + "|4|1202",
              failed + "|5|1214",
              loaded + "|2|1207",
              loaded + "|4|1202",
              loaded + "|5|1214"),
          rows(
              c,
              "SELECT query, line_number, err_code FROM stl_load_errors WHERE query IN ("
                  + failed
                  + ", "
                  + loaded
                  + ") ORDER BY query, line_number"));
    }
  }

  @Test
  void aNulByteFailsLoudlyEvenUnderMaxError() throws SQLException {
    String file = s3.put("nul/data.csv", "1,ok\n2,a\0b\n");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE z (n int, v varchar(8))");
      SQLException e =
          assertThrows(SQLException.class, () -> s.execute(copy("z", file, "CSV MAXERROR 10")));
      assertTrue(e.getMessage().contains("NUL byte"), e.getMessage());
      assertEquals(List.of("0"), rows(c, "SELECT count(*) FROM z"));
      assertEquals(
          List.of("2|1200|2,a.b"),
          rows(
              c,
              "SELECT line_number, err_code, trim(raw_line) FROM stl_load_errors"
                  + " WHERE query = pg_last_copy_id()"));
    }
  }

  @Test
  void aMissingMandatoryManifestEntryFailsAndAnOptionalOneIsSkipped() throws SQLException {
    String present = s3.put("manifest/present.csv", "1\n");
    String absent = "s3://" + REDSHIFT.bucket() + "/manifest/absent.csv";
    String mandatory = s3.manifest("manifest/mandatory", present, absent);
    String optional =
        s3.put(
            "manifest/optional",
            "{\"entries\": [{\"url\": \""
                + present
                + "\", \"mandatory\": true}, {\"url\": \""
                + absent
                + "\"}]}");
    String none = s3.put("manifest/none", "{\"entries\": [{\"url\": \"" + absent + "\"}]}");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE f (n int)");
      SQLException e =
          assertThrows(SQLException.class, () -> s.execute(copy("f", mandatory, "MANIFEST CSV")));
      assertTrue(e.getMessage().contains(absent), e.getMessage());
      assertEquals(1, s.executeUpdate(copy("f", optional, "MANIFEST CSV")));
      SQLException empty =
          assertThrows(SQLException.class, () -> s.execute(copy("f", none, "MANIFEST CSV")));
      assertTrue(empty.getMessage().contains("no file"), empty.getMessage());
      SQLException prefix =
          assertThrows(
              SQLException.class,
              () -> s.execute(copy("f", "s3://" + REDSHIFT.bucket() + "/nothing/", "CSV")));
      assertTrue(prefix.getMessage().contains("does not exist"), prefix.getMessage());
    }
  }

  @Test
  void anUnknownOptionFailsNamingItAndAbortsTheTransaction() throws SQLException {
    String file = s3.put("unknown/data.csv", "1\n");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE q (n int)");
      c.setAutoCommit(false);
      SQLException e =
          assertThrows(SQLException.class, () -> s.execute(copy("q", file, "CSV FILLRECORD")));
      assertTrue(e.getMessage().contains("FILLRECORD"), e.getMessage());
      assertEquals("0A000", e.getSQLState());
      assertEquals(
          "25P02", assertThrows(SQLException.class, () -> rows(c, "SELECT 1")).getSQLState());
      c.rollback();
    }
  }

  @Test
  void aCopyWithoutAuthorizationFails() throws SQLException {
    String file = s3.put("auth/data.csv", "1\n");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE a (n int)");
      SQLException e =
          assertThrows(SQLException.class, () -> s.execute("COPY a FROM '" + file + "' CSV"));
      assertTrue(e.getMessage().contains("authorization"), e.getMessage());
      assertEquals(-1, lastCopyId(c), "a COPY refused before loading gets no id");
    }
  }

  @Test
  void aPreparedCopyRunsAndPgLastCopyIdFollowsEverySuccessfulCopy() throws SQLException {
    String file = s3.put("prepared/data.csv", "1\n2\n");
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE p (n int)");
      s.execute(copy("p", file, "CSV"));
      int first = lastCopyId(c);
      try (var p = c.prepareStatement(copy("p", file, "CSV"))) {
        assertEquals(2, p.executeUpdate());
      }
      int second = lastCopyId(c);
      assertTrue(second > first, first + " then " + second);
      try (Connection other = REDSHIFT.connect()) {
        assertEquals(-1, lastCopyId(other), "the id belongs to the session");
      }
      assertEquals(List.of("4"), rows(c, "SELECT count(*) FROM p"));
    }
  }
}
