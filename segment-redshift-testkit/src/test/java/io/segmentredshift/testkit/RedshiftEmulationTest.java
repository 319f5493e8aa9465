package io.segmentredshift.testkit;

import static io.segmentredshift.testkit.S3Objects.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;

class RedshiftEmulationTest {
  @RegisterExtension
  static final EmbeddedRedshiftExtension REDSHIFT = new EmbeddedRedshiftExtension().slices(4);

  @Test
  void roundTripsRowsThroughTheEmulatedDataSource() throws SQLException {
    try (Connection c = REDSHIFT.connect()) {
      try (Statement s = c.createStatement()) {
        assertFalse(s.execute("CREATE TABLE round_trip (id bigint, name varchar(16))"));
        assertSame(c, s.getConnection());
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO round_trip VALUES (?, ?)")) {
        p.setLong(1, 1);
        p.setString(2, "one");
        p.addBatch();
        p.setLong(1, 2);
        p.setString(2, null);
        p.addBatch();
        assertEquals(2, p.executeBatch().length);
      }
      assertEquals(List.of("1|one", "2|null"), rows(c, "SELECT * FROM round_trip ORDER BY id"));
      assertTrue(c.isWrapperFor(PGConnection.class));
    }
  }

  @Test
  void createsTablesFromRedshiftDdlWithDistributionSortAndEncoding() throws SQLException {
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE tracks (id varchar(64) NOT NULL DISTKEY ENCODE zstd,"
              + " received_at timestamp SORTKEY ENCODE az64, \"encode\" varchar(32)"
              + " DEFAULT 'DISTKEY(x) ENCODE zstd', distkey int)"
              + " DISTSTYLE KEY COMPOUND SORTKEY (received_at, id)");
      s.execute("ALTER TABLE tracks ADD COLUMN context_ip varchar(512) ENCODE lzo");
      s.execute("INSERT INTO tracks (id, distkey) VALUES ('a', 1)");
      assertEquals(
          List.of(
              "id|character varying(64)|null",
              "received_at|timestamp without time zone|null",
              "encode|character varying(32)|'DISTKEY(x) ENCODE zstd'::character varying",
              "distkey|integer|null",
              "context_ip|character varying(512)|null"),
          rows(
              c,
              "SELECT column_name, CASE WHEN character_maximum_length IS NULL THEN data_type"
                  + " ELSE data_type || '(' || character_maximum_length || ')' END,"
                  + " column_default FROM information_schema.columns"
                  + " WHERE table_name = 'tracks' ORDER BY ordinal_position"));
      assertEquals(List.of("a|DISTKEY(x) ENCODE zstd"), rows(c, "SELECT id, encode FROM tracks"));
    }
  }

  @Test
  void theSameDdlFailsOnPlainPostgresql() throws SQLException {
    try (Connection c = REDSHIFT.postgres().getConnection();
        Statement s = c.createStatement()) {
      SQLException e =
          assertThrows(
              SQLException.class, () -> s.execute("CREATE TABLE raw_t (id int ENCODE zstd)"));
      assertTrue(e.getMessage().contains("ENCODE"), e.getMessage());
    }
  }

  @Test
  void acceptsQueryGroupTagsAsNoOps() throws SQLException {
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement()) {
      assertFalse(s.execute("SET query_group TO 'segment-redshift'"));
      assertEquals(0, s.getUpdateCount());
      assertEquals(0, s.executeUpdate("RESET query_group"));
      try (PreparedStatement p = c.prepareStatement("SET query_group TO 'loader'")) {
        assertFalse(p.execute());
      }
      assertEquals(List.of("1"), rows(c, "SELECT 1"));
    }
  }

  @Test
  void answersTheSliceCountFromStvSlices() throws SQLException {
    try (Connection c = REDSHIFT.connect()) {
      assertEquals(List.of("4"), rows(c, "SELECT COUNT(*) FROM stv_slices"));
      assertEquals(List.of("0|3"), rows(c, "SELECT min(slice), max(slice) FROM stv_slices"));
    }
  }

  @Test
  void pgLastCopyIdIsMinusOneBeforeAnyCopy() throws SQLException {
    try (Connection c = REDSHIFT.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_last_copy_id()")) {
      assertTrue(rs.next());
      assertEquals(-1, rs.getInt(1));
      assertEquals("pg_last_copy_id", rs.getMetaData().getColumnName(1));
    }
    try (Connection raw = REDSHIFT.postgres().getConnection()) {
      SQLException e =
          assertThrows(SQLException.class, () -> rows(raw, "SELECT pg_last_copy_id()"));
      assertTrue(e.getMessage().contains("Redshift emulation"), e.getMessage());
    }
  }
}
