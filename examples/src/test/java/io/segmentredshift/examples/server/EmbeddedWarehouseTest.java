package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedWarehouseTest {
  @TempDir Path dataDir;

  @Test
  void keepsDataAndPortAcrossARestart() throws Exception {
    int port;
    try (EmbeddedWarehouse first = EmbeddedWarehouse.start(dataDir, 0)) {
      assertTrue(first.createdCluster());
      port = first.port();
      assertEquals(
          "jdbc:postgresql://127.0.0.1:" + port + "/segment?user=postgres", first.jdbcUrl());
      assertEquals("psql -h 127.0.0.1 -p " + port + " -U postgres segment", first.psql());
      try (Connection c = first.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (n int)");
        s.execute("INSERT INTO kept VALUES (42)");
      }
    }
    assertEquals(port + "", Files.readString(dataDir.resolve("postgres.port")).strip());
    assertFalse(EmbeddedWarehouse.runningPostmaster(dataDir.resolve("postgres")).isPresent());
    try (EmbeddedWarehouse second = EmbeddedWarehouse.start(dataDir, 0)) {
      assertFalse(second.createdCluster());
      assertEquals(port, second.port());
      try (Connection c = second.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT n FROM kept")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
      try (Connection c = second.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW fsync")) {
        assertTrue(rs.next());
        assertEquals("on", rs.getString(1));
      }
    }
  }

  @Test
  void refusesAClusterThatAnotherProcessRuns() {
    try (EmbeddedWarehouse running = EmbeddedWarehouse.start(dataDir, 0)) {
      CommandLineException e =
          assertThrows(CommandLineException.class, () -> EmbeddedWarehouse.start(dataDir, 0));
      assertEquals(CommandLineException.FAILURE, e.exitCode());
      assertTrue(
          e.getMessage()
              .startsWith(
                  "the embedded PostgreSQL in "
                      + dataDir.resolve("postgres").toAbsolutePath()
                      + " is already running (pid "),
          e.getMessage());
      assertTrue(running.port() > 0);
    }
  }
}
