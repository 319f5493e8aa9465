package io.segmentredshift.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazon.redshift.RedshiftConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedshiftDriverProxyTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  private static RedshiftDriverProxy proxy;

  @BeforeAll
  static void startProxy() {
    proxy = RedshiftDriverProxy.start(PG.server().port());
  }

  @AfterAll
  static void stopProxy() {
    proxy.close();
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        proxy.jdbcUrl(PG.database()), proxy.properties(PG.user(), PG.password()));
  }

  @Test
  void theRedshiftDriverCannotConnectToPostgresqlWithoutTheProxy() {
    String direct = "jdbc:redshift://127.0.0.1:" + PG.server().port() + "/" + PG.database();
    SQLException e =
        assertThrows(
            SQLException.class,
            () ->
                DriverManager.getConnection(direct, proxy.properties(PG.user(), PG.password()))
                    .close());
    assertTrue(e.getMessage().contains("unrecognized configuration parameter"), e.getMessage());
  }

  @Test
  void createsBatchInsertsAndReadsBackThroughTheRedshiftDriver() throws SQLException {
    try (Connection c = connect()) {
      assertTrue(c.getClass().getName().startsWith("com.amazon.redshift."), c.getClass().getName());
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE proxied (id bigint, name varchar(32), at timestamp, ok boolean)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO proxied VALUES (?, ?, ?, ?)")) {
        for (int i = 1; i <= 500; i++) {
          p.setLong(1, i);
          p.setString(2, i % 7 == 0 ? null : "name-" + i + "-é");
          p.setTimestamp(3, Timestamp.valueOf("2024-03-05 10:11:12.123456"));
          p.setBoolean(4, i % 2 == 0);
          p.addBatch();
        }
        int[] counts = p.executeBatch();
        assertEquals(500, counts.length);
        for (int count : counts) {
          assertTrue(count == 1 || count == Statement.SUCCESS_NO_INFO, "count " + count);
        }
      }
      c.commit();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), count(name), sum(id), bool_and(at = '2024-03-05"
                      + " 10:11:12.123456'), count(*) FILTER (WHERE ok) FROM proxied")) {
        assertTrue(rs.next());
        assertEquals(500, rs.getLong(1));
        assertEquals(500 - 71, rs.getLong(2));
        assertEquals(500L * 501 / 2, rs.getLong(3));
        assertTrue(rs.getBoolean(4));
        assertEquals(250, rs.getLong(5));
      }
      try (PreparedStatement p = c.prepareStatement("SELECT name, at FROM proxied WHERE id = ?")) {
        p.setLong(1, 43);
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("name-43-é", rs.getString(1));
          assertEquals(Timestamp.valueOf("2024-03-05 10:11:12.123456"), rs.getTimestamp(2));
          assertFalse(rs.next());
        }
      }
    }
  }

  @Test
  void rollsBackThroughTheRedshiftDriver() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE rolled (n int)");
      c.setAutoCommit(false);
      s.execute("INSERT INTO rolled VALUES (1)");
      c.rollback();
      c.setAutoCommit(true);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM rolled")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getInt(1));
      }
    }
  }

  @Test
  void exposesACopyFromStdinApiThroughUnwrap() throws SQLException, IOException {
    try (Connection c = connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE copied (id int, note text)");
      }
      long rows =
          c.unwrap(RedshiftConnection.class)
              .getCopyAPI()
              .copyIn(
                  "COPY copied FROM STDIN WITH (FORMAT csv)",
                  new StringReader("1,\"a, \"\"b\"\"\"\n2,\n"));
      assertEquals(2, rows);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, note FROM copied ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals("a, \"b\"", rs.getString(2));
        assertTrue(rs.next());
        assertEquals(null, rs.getString(2));
      }
    }
  }

  @Test
  void removesOnlyTheParametersPostgresqlDoesNotKnow() throws IOException {
    byte[] body =
        params("user", "u", "driver_version", "2.1", "database", "d", "TimeZone", "UTC", "", "");
    byte[] expected = params("user", "u", "database", "d", "TimeZone", "UTC", "", "");
    assertArrayEquals(expected, RedshiftDriverProxy.filterParameters(body));
    assertThrows(
        IOException.class, () -> RedshiftDriverProxy.filterParameters(new byte[] {'u', 0, 'x'}));
  }

  private static byte[] params(String... parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < parts.length - 1; i++) {
      out.write(parts[i].getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    return out.toByteArray();
  }
}
