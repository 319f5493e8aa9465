package io.segmentredshift.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyCommandTest {
  private static CopyCommand parse(String sql) throws SQLException {
    return CopyCommand.parse(
        SqlLexer.tokenize(sql).stream().filter(SqlLexer.Token::significant).toList());
  }

  private static SQLException failure(String sql) {
    return assertThrows(SQLException.class, () -> parse(sql));
  }

  @Test
  void parsesTheLibrarysCsvCopy() throws SQLException {
    CopyCommand copy =
        parse(
            "COPY \"Seg\".stage (id, \"Name\") FROM 's3://bucket/batch/42/manifest'"
                + " IAM_ROLE 'arn:aws:iam::123456789012:role/loader' MANIFEST REGION 'us-west-2'"
                + " FORMAT AS CSV QUOTE AS '\"' DELIMITER ',' NULL AS '\\N' GZIP"
                + " TIMEFORMAT 'auto' DATEFORMAT AS 'auto' ACCEPTINVCHARS AS '^' TRUNCATECOLUMNS"
                + " EMPTYASNULL BLANKSASNULL IGNOREHEADER 1 MAXERROR 3 COMPUPDATE OFF STATUPDATE"
                + " OFF");
    assertEquals("\"Seg\".stage", copy.table());
    assertEquals("stage", copy.tableName());
    assertEquals(List.of("id", "Name"), copy.columns());
    assertEquals("s3://bucket/batch/42/manifest", copy.source());
    assertTrue(copy.manifest());
    assertFalse(copy.json());
    assertEquals(',', copy.delimiter());
    assertEquals('"', copy.quote());
    assertEquals("\\N", copy.nullAs());
    assertTrue(copy.gzip() && copy.timeFormatAuto() && copy.dateFormatAuto());
    assertEquals('^', copy.acceptInvChars());
    assertTrue(copy.truncateColumns() && copy.emptyAsNull() && copy.blanksAsNull());
    assertEquals(1, copy.ignoreHeader());
    assertEquals(3, copy.maxError());
  }

  @Test
  void parsesJsonFormsAndDefaults() throws SQLException {
    CopyCommand auto =
        parse("copy t from 's3://b/p' iam_role default format as json 'auto' compupdate");
    assertTrue(auto.json());
    assertFalse(auto.jsonIgnoreCase());
    assertNull(auto.acceptInvChars());
    assertEquals(0, auto.maxError());
    CopyCommand ignoreCase =
        parse(
            "COPY t FROM 's3://b/p' CREDENTIALS 'aws_iam_role=arn:aws:iam::1:role/r'"
                + " JSON AS 'auto ignorecase' ACCEPTINVCHARS");
    assertTrue(ignoreCase.jsonIgnoreCase());
    assertEquals('?', ignoreCase.acceptInvChars());
    CopyCommand keys =
        parse(
            "COPY t FROM 's3://b/p' ACCESS_KEY_ID 'AKIA' SECRET_ACCESS_KEY 's' SESSION_TOKEN 't'"
                + " CSV DELIMITER '\\t'");
    assertEquals('\t', keys.delimiter());
  }

  @Test
  void refusesAnOptionItDoesNotImplementNamingIt() {
    SQLException e = failure("COPY t FROM 's3://b/k' IAM_ROLE default CSV ENCRYPTED");
    assertEquals("0A000", e.getSQLState());
    assertTrue(e.getMessage().contains("ENCRYPTED"), e.getMessage());
    assertTrue(
        failure("COPY t FROM 's3://b/k' IAM_ROLE default CSV BZIP2")
            .getMessage()
            .contains("BZIP2"));
    assertTrue(
        failure("COPY t FROM 's3://b/k' IAM_ROLE default FORMAT AS PARQUET")
            .getMessage()
            .contains("PARQUET"));
    assertTrue(
        failure("COPY t FROM 's3://b/k' IAM_ROLE default CSV TIMEFORMAT 'epochsecs'")
            .getMessage()
            .contains("epochsecs"));
    assertTrue(
        failure("COPY t FROM 's3://b/k' IAM_ROLE default JSON 's3://b/paths.json'")
            .getMessage()
            .contains("s3://b/paths.json"));
    assertTrue(
        failure("COPY t FROM 's3://b/k' IAM_ROLE default DELIMITER '|'")
            .getMessage()
            .contains("pipe-delimited"));
  }

  @Test
  void requiresExactlyOneAuthorization() {
    SQLException missing = failure("COPY t FROM 's3://b/k' CSV");
    assertTrue(missing.getMessage().contains("authorization"), missing.getMessage());
    assertTrue(
        failure(
                "COPY t FROM 's3://b/k' IAM_ROLE default CREDENTIALS"
                    + " 'aws_iam_role=arn:aws:iam::1:role/r' CSV")
            .getMessage()
            .contains("cannot be combined"));
    assertTrue(
        failure("COPY t FROM 's3://b/k' ACCESS_KEY_ID 'a' CSV")
            .getMessage()
            .contains("SECRET_ACCESS_KEY"));
    assertTrue(
        failure("COPY t FROM 's3://b/k' CREDENTIALS 'role=x' CSV")
            .getMessage()
            .contains("CREDENTIALS must be"));
    assertTrue(
        failure("COPY t FROM 's3://b/k' IAM_ROLE 'role/x' CSV").getMessage().contains("ARN"));
  }

  @Test
  void refusesContradictoryOrRepeatedOptions() {
    assertEquals(
        "42601",
        failure("COPY t FROM 's3://b/k' IAM_ROLE default JSON 'auto' DELIMITER ','").getSQLState());
    assertTrue(
        failure("COPY t FROM 's3://b/k' IAM_ROLE default CSV GZIP GZIP")
            .getMessage()
            .contains("GZIP given twice"));
    assertTrue(
        failure("COPY t FROM 's3://b/k' IAM_ROLE default CSV JSON 'auto'")
            .getMessage()
            .contains("FORMAT given twice"));
    assertTrue(
        failure("COPY t FROM '/tmp/file' IAM_ROLE default CSV").getMessage().contains("/tmp/file"));
    assertTrue(
        failure("COPY t FROM 's3://b/k' IAM_ROLE default CSV QUOTE 'ab'")
            .getMessage()
            .contains("single ASCII character"));
  }
}
