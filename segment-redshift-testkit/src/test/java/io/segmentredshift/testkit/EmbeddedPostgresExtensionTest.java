package io.segmentredshift.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedPostgresExtensionTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  @Test
  void runsPostgresqlSeventeen() throws SQLException {
    try (Connection c = PG.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version_num")) {
      assertTrue(rs.next());
      assertEquals(17, Integer.parseInt(rs.getString(1)) / 10000);
    }
  }

  @Test
  void writesAndReadsRowsBackThroughTheJdbcUrl() throws SQLException {
    try (Connection c = DriverManager.getConnection(PG.jdbcUrl(), PG.user(), PG.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE roundtrip (id text PRIMARY KEY, n bigint, at timestamp)");
      s.execute("INSERT INTO roundtrip VALUES ('a', 1, '2024-03-05 10:11:12.123'), ('b', 2, NULL)");
      try (ResultSet rs = s.executeQuery("SELECT id, n, at FROM roundtrip ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals("a", rs.getString(1));
        assertEquals(1L, rs.getLong(2));
        assertEquals("2024-03-05 10:11:12.123", rs.getTimestamp(3).toString());
        assertTrue(rs.next());
        assertEquals("b", rs.getString(1));
        rs.getTimestamp(3);
        assertTrue(rs.wasNull());
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void givesEachTestClassItsOwnDatabase() throws SQLException {
    try (Connection c = PG.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_database()")) {
      assertTrue(rs.next());
      assertEquals(PG.database(), rs.getString(1));
      assertNotEquals("postgres", rs.getString(1));
    }
  }
}
