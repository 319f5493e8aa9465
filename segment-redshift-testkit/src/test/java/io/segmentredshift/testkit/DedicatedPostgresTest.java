package io.segmentredshift.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DedicatedPostgresTest {
  @RegisterExtension
  static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.dedicated();

  @Test
  void keepsCommittedRowsAcrossAStopAndRestartOnTheSamePort() throws SQLException {
    try (Connection c = PG.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (n int)");
      s.execute("INSERT INTO kept VALUES (42)");
    }
    int port = PG.server().port();

    PG.server().stop();
    assertThrows(SQLException.class, () -> PG.connect().close());

    PG.server().restart();
    assertEquals(port, PG.server().port());
    try (Connection c = PG.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n FROM kept")) {
      assertTrue(rs.next());
      assertEquals(42, rs.getInt(1));
    }
  }
}
