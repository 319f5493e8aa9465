package io.segmentredshift.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class RedshiftSqlTest {
  private static String rewrite(String sql) throws SQLException {
    RedshiftSql.Plan plan = RedshiftSql.plan(sql, 4711);
    return assertInstanceOf(RedshiftSql.Execute.class, plan).sql().replaceAll("\\s+", " ").trim();
  }

  @Test
  void stripsTableLevelDistributionAndSortAttributes() throws SQLException {
    assertEquals(
        "CREATE TABLE t (id varchar(64), at timestamp) ;",
        rewrite(
            "CREATE TABLE t (id varchar(64), at timestamp) DISTSTYLE KEY DISTKEY(id)"
                + " COMPOUND SORTKEY(at, id);"));
    assertEquals(
        "CREATE TEMP TABLE s (a int) ",
        rewrite("CREATE TEMP TABLE s (a int) diststyle even interleaved sortkey (a) ") + " ");
    assertEquals(
        "CREATE TABLE s (a int)", rewrite("CREATE TABLE s (a int) DISTSTYLE AUTO SORTKEY AUTO"));
  }

  @Test
  void stripsColumnLevelKeysAndEncodings() throws SQLException {
    assertEquals(
        "CREATE TABLE t (id varchar(64) NOT NULL , at timestamp , n bigint DEFAULT 0 )",
        rewrite(
            "CREATE TABLE t (id varchar(64) NOT NULL DISTKEY ENCODE zstd, at timestamp SORTKEY"
                + " ENCODE az64, n bigint DEFAULT 0 ENCODE raw)"));
    assertEquals(
        "ALTER TABLE t ADD COLUMN c varchar(512)",
        rewrite("ALTER TABLE t ADD COLUMN c varchar(512) ENCODE lzo"));
  }

  @Test
  void leavesLiteralsQuotedIdentifiersCommentsAndLookalikeColumnsAlone() throws SQLException {
    String sql =
        "CREATE TABLE t (distkey int, \"sortkey\" int, \"encode\" varchar(9) DEFAULT 'ENCODE"
            + " zstd DISTKEY(x)' /* SORTKEY(a) */, d text DEFAULT $$DISTSTYLE ALL$$) -- ENCODE x";
    assertEquals(sql, RedshiftSql.plan(sql, 1) instanceof RedshiftSql.Execute e ? e.sql() : null);
    String insert = "INSERT INTO t VALUES ('DISTKEY(id) ENCODE zstd')";
    assertEquals(insert, rewrite(insert));
  }

  @Test
  void ignoresQueryGroupStatements() throws SQLException {
    assertInstanceOf(RedshiftSql.Ignore.class, RedshiftSql.plan("SET query_group TO 'x'", 1));
    assertInstanceOf(RedshiftSql.Ignore.class, RedshiftSql.plan("reset QUERY_GROUP;", 1));
    assertEquals("SELECT 1", rewrite("SET query_group TO 'loader'; SELECT 1"));
    assertEquals("SET search_path TO x", rewrite("SET search_path TO x"));
  }

  @Test
  void answersPgLastCopyIdWithTheSessionsValue() throws SQLException {
    assertEquals(
        "SELECT public.pg_last_copy_id(4711), 'pg_last_copy_id()'",
        rewrite("SELECT pg_last_copy_id(), 'pg_last_copy_id()'"));
    assertEquals(
        "SELECT * FROM stl_load_errors WHERE query = public.pg_last_copy_id(4711)",
        rewrite("SELECT * FROM stl_load_errors WHERE query = pg_catalog.pg_last_copy_id ( )"));
  }

  @Test
  void recognisesCopyFromAStringSourceOnly() throws SQLException {
    RedshiftSql.Plan plan =
        RedshiftSql.plan(" COPY t FROM 's3://b/k' IAM_ROLE default CSV ; -- done", 1);
    assertEquals(
        "COPY t FROM 's3://b/k' IAM_ROLE default CSV",
        assertInstanceOf(RedshiftSql.Copy.class, plan).sql());
    assertEquals("COPY t FROM STDIN", rewrite("COPY t FROM STDIN"));
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> RedshiftSql.plan("COPY t FROM 's3://b/k' IAM_ROLE default CSV; SELECT 1", 1));
    assertEquals("0A000", e.getSQLState());
  }
}
