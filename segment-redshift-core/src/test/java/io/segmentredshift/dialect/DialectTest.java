package io.segmentredshift.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.schema.Column;
import io.segmentredshift.schema.TableKind;
import io.segmentredshift.schema.TableSchema;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import io.segmentredshift.typemap.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DialectTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  private static final Dialect PGD = Dialect.postgres();
  private static final Dialect RS = Dialect.redshift();

  @Test
  void quotingDoublesQuotesAndNothingElse() {
    assertEquals("\"users\"", RS.quote("users"));
    assertEquals("\"a\"\"b\"", RS.quote("a\"b"));
    assertEquals("\"\"\"; DROP TABLE users; --\"", PGD.quote("\"; DROP TABLE users; --"));
    assertEquals("\"back\\slash\"", PGD.quote("back\\slash"));
    assertEquals("\"s\".\"t\"", PGD.table("s", "t"));
  }

  @Test
  void quotingRejectsWhatADelimitedIdentifierCannotCarry() {
    for (String bad :
        new String[] {"", "a\u0000b", "tab\there", "new\nline", "\ud800", "x".repeat(64)}) {
      assertThrows(IllegalArgumentException.class, () -> PGD.quote(bad), bad);
    }
    assertThrows(NullPointerException.class, () -> PGD.quote(null));
    assertEquals(129, RS.quote("x".repeat(127)).length());
    assertThrows(IllegalArgumentException.class, () -> RS.quote("é".repeat(64)));
    assertEquals("\"😀\"", RS.quote("😀"));
  }

  /** Whatever the name, the quoted identifier names exactly one object and runs nothing else. */
  @Test
  void hostileQuotedNamesCreateExactlyThatTableOnPostgres() throws SQLException {
    List<String> hostile =
        List.of(
            "\"; DROP TABLE sentinel; --",
            "x'); DROP TABLE sentinel; --",
            "back\\slash\\",
            "semi;colon",
            "ünïcödé 😀",
            "select",
            "1st");
    try (Connection c = PG.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA q");
      st.execute("CREATE TABLE q.sentinel (id int)");
      for (String name : hostile) {
        TableSchema t =
            new TableSchema(
                name,
                TableKind.EVENT,
                List.of(new Column("id", ColumnType.TEXT), new Column(name, ColumnType.BIGINT)));
        for (String sql : PGD.createTable("q", t)) {
          st.execute(sql);
        }
      }
      List<String> tables = new ArrayList<>();
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT table_name FROM information_schema.tables WHERE table_schema = 'q' ORDER BY 1");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      List<String> expected = new ArrayList<>(hostile);
      expected.add("sentinel");
      expected.sort(null);
      tables.sort(null);
      assertEquals(expected, tables);
    }
  }

  @Test
  void redshiftAddsOneColumnPerStatementAndPostgresBatches() {
    List<Column> cols =
        List.of(new Column("a", ColumnType.BIGINT), new Column("b", ColumnType.varchar(1024)));
    assertEquals(
        List.of(
            "ALTER TABLE \"s\".\"t\" ADD COLUMN \"a\" BIGINT",
            "ALTER TABLE \"s\".\"t\" ADD COLUMN \"b\" VARCHAR(1024)"),
        RS.addColumns("s", "t", cols));
    assertEquals(
        List.of(
            "ALTER TABLE \"s\".\"t\"\n  ADD COLUMN IF NOT EXISTS \"a\" bigint,\n  ADD COLUMN IF NOT EXISTS \"b\" text"),
        PGD.addColumns("s", "t", cols));
    assertEquals(
        "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"b\" TYPE VARCHAR(2048)",
        RS.widenColumn("s", "t", new Column("b", ColumnType.varchar(2048))));
    assertTrue(RS.widenOutsideTransaction());
    assertFalse(PGD.widenOutsideTransaction());
  }

  @Test
  void typesPerDialect() {
    assertEquals("TIMESTAMP", RS.sqlType(ColumnType.TIMESTAMP));
    assertEquals("timestamptz", PGD.sqlType(ColumnType.TIMESTAMP));
    assertEquals("DOUBLE PRECISION", RS.sqlType(ColumnType.DOUBLE));
    assertEquals("VARCHAR(65535)", RS.sqlType(ColumnType.TEXT));
    assertEquals("text", PGD.sqlType(ColumnType.varchar(512)));
    assertThrows(IllegalArgumentException.class, () -> RS.sqlType(ColumnType.other("integer")));
    assertEquals(ColumnType.varchar(512), RS.catalogType("character varying", 512));
    assertEquals(ColumnType.TEXT, PGD.catalogType("text", null));
    assertEquals(ColumnType.TIMESTAMP, PGD.catalogType("timestamp with time zone", null));
    assertEquals(ColumnType.other("integer"), PGD.catalogType("integer", null));
  }

  @Test
  void concurrentDdlErrorsAreRecognised() {
    assertTrue(PGD.isConcurrentDdl(new SQLException("relation \"t\" already exists", "42P07")));
    assertTrue(
        PGD.isConcurrentDdl(
            new SQLException(
                "duplicate key value violates unique constraint \"pg_type_typname_nsp_index\"",
                "23505")));
    assertTrue(
        RS.isConcurrentDdl(
            new SQLException(
                "ERROR: 1023 DETAIL: Serializable isolation violation on table", "XX000")));
    assertFalse(
        PGD.isConcurrentDdl(new SQLException("syntax error at or near \"ENCODE\"", "42601")));
    assertFalse(
        PGD.isConcurrentDdl(new SQLException("tables can have at most 1600 columns", "54011")));
  }

  @Test
  void refreshDerivedIsOnlyForUsersAndAccounts() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PGD.refreshDerived("s", TableKind.TRACKS, List.of(), null, "t"));
    List<String> sql = RS.refreshDerived("s", TableKind.USERS, List.of("email"), null, "stage");
    assertEquals(
        "DELETE FROM \"s\".\"users\" WHERE \"id\" IN (SELECT \"user_id\" FROM \"stage\" WHERE \"user_id\" IS NOT NULL)",
        sql.get(0));
    assertTrue(
        sql.get(1).contains("FIRST_VALUE(\"email\") OVER (PARTITION BY \"user_id\""), sql.get(1));
    assertTrue(sql.get(1).contains("FROM \"s\".\"identifies\""), sql.get(1));
  }

  @Test
  void everyGeneratedStatementUsesOnlyPlaceholdersForValues() {
    TableSchema t = TableSchema.standard(TableKind.COLUMNS);
    assertEquals(
        "INSERT INTO \"s\".\"_columns\" (\"table_name\", \"column_name\", \"path_hash\", \"source_path\", \"created_at\") VALUES (?, ?, ?, ?, ?)",
        PGD.insert("s", t));
    assertTrue(
        RS.catalogQuery(2)
            .endsWith(
                "WHERE table_schema = ? AND table_name IN (?, ?) ORDER BY table_name, ordinal_position"));
    assertEquals("LOCK \"s\".\"_columns\"", RS.lockNameMap("s"));
    assertEquals("LOCK TABLE \"s\".\"_columns\" IN SHARE ROW EXCLUSIVE MODE", PGD.lockNameMap("s"));
  }

  @Test
  void theMergeInsertsOnlyNewIdsWindowedWhereKeysAreNotEnforced() {
    TableSchema t =
        new TableSchema(
            "tracks",
            TableKind.TRACKS,
            List.of(
                new Column("id", ColumnType.varchar(512)),
                new Column("received_at", ColumnType.TIMESTAMP)));
    assertEquals(
        "INSERT INTO \"s\".\"tracks\" (\"id\", \"received_at\")\n"
            + "SELECT \"id\", \"received_at\" FROM \"stage\" AS \"_new\"\n"
            + "WHERE NOT EXISTS (SELECT 1 FROM \"s\".\"tracks\" AS \"_old\""
            + " WHERE \"_old\".\"id\" = \"_new\".\"id\" AND \"_old\".\"received_at\" >= ?)",
        RS.insertNew("s", t, "stage", !RS.enforcesPrimaryKey()));
    assertFalse(PGD.insertNew("s", t, "stage", !PGD.enforcesPrimaryKey()).contains("?"));
    assertEquals("LOCK \"s\".\"a\", \"s\".\"b\"", RS.lockTables("s", List.of("a", "b")));
    assertEquals(
        "LOCK TABLE \"s\".\"a\", \"s\".\"b\" IN SHARE ROW EXCLUSIVE MODE",
        PGD.lockTables("s", List.of("a", "b")));
    assertThrows(IllegalArgumentException.class, () -> PGD.lockTables("s", List.of()));
    assertEquals(
        "CREATE TEMP TABLE \"stage\" (LIKE \"s\".\"tracks\")",
        RS.createStaging("stage", "s", "tracks"));
    assertEquals(
        "INSERT INTO \"stage\" (\"b\", \"a\") VALUES (?, ?), (?, ?)",
        RS.insertRows("stage", List.of("b", "a"), 2));
  }

  @Test
  void redshiftCopyNamesTheManifestOneAuthorizationAndTheNullMarker() {
    assertEquals(
        "COPY \"stage\" (\"id\", \"n\")\n"
            + "FROM 's3://b/p/manifest' IAM_ROLE 'arn:aws:iam::1:role/r'\n"
            + "MANIFEST CSV GZIP TIMEFORMAT 'auto' NULL AS '~n~' COMPUPDATE OFF STATUPDATE OFF",
        RS.copyFromS3(
            "stage",
            List.of("id", "n"),
            "s3://b/p/manifest",
            "arn:aws:iam::1:role/r",
            null,
            "~n~"));
    assertTrue(
        RS.copyFromS3("stage", List.of("id"), "s3://b/m", null, "aws_iam_role=arn:x", "~n~")
            .contains(" CREDENTIALS 'aws_iam_role=arn:x'\n"));
    assertThrows(
        IllegalArgumentException.class,
        () -> RS.copyFromS3("stage", List.of("id"), "s3://b/m", "arn", "creds", "~n~"));
    assertThrows(
        IllegalArgumentException.class,
        () -> RS.copyFromS3("stage", List.of("id"), "s3://b/m", null, null, "~n~"));
    assertEquals(
        "COPY \"stage\" (\"id\", \"n\") FROM STDIN (FORMAT csv)",
        PGD.copyFromStdin("stage", List.of("id", "n")));
  }

  @Test
  void literalsDoubleQuotesAndRefuseBackslashesAndControlCharacters() {
    assertEquals("'it''s'", RS.literal("it's"));
    for (String bad : List.of("a\\b", "new\nline", "nul\u0000")) {
      assertThrows(IllegalArgumentException.class, () -> RS.literal(bad), bad);
    }
  }
}
