package io.segmentredshift.examples.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.examples.ExampleProcess;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class LoaderExampleTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  @TempDir Path dir;

  private static ExampleProcess run(String... args) throws Exception {
    return ExampleProcess.start(
        LoaderExample.class,
        Map.of("JDBC_URL", PG.jdbcUrl() + "?user=" + PG.user()),
        List.of(),
        args);
  }

  private static String query(String sql) throws Exception {
    try (Connection c = PG.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      StringBuilder out = new StringBuilder();
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          out.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.append('\n');
      }
      return out.toString();
    }
  }

  @Test
  void loadsTheSampleEventsOnceAndPrintsWhatEachLoadDid() throws Exception {
    try (ExampleProcess first = run()) {
      assertEquals(0, first.awaitExit(), first.output());
      assertTrue(
          first
              .output()
              .matches(
                  "(?s).*batch [0-9a-f]{32}: 2 events, rows \\{identifies=1, order_completed=1,"
                      + " tracks=1, users=1\\}, 0 discards, 0 rejected, \\d+ ms \\(\\S+\\)\n.*"),
          first.output());
    }
    assertEquals(
        "order-1001|u-42|27.5|SPRING|Order Completed\n",
        query("SELECT id, user_id, total, coupon, event_text FROM imported.order_completed"));
    assertEquals("u-42|ada@example.com|pro\n", query("SELECT id, email, plan FROM imported.users"));

    // Again: the same messageIds, so nothing new (users is written again from identifies).
    try (ExampleProcess second = run()) {
      assertEquals(0, second.awaitExit(), second.output());
      assertTrue(
          second
              .output()
              .contains(
                  "2 events, rows {identifies=0, order_completed=0, tracks=0, users=1}, 0 discards"),
          second.output());
    }
    assertEquals("1\n", query("SELECT count(*) FROM imported.tracks"));
  }

  @Test
  void loadsAnNdjsonExportAndReportsTheLinesItSkips() throws Exception {
    Path export = dir.resolve("export.ndjson.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(export))) {
      out.write(
          ("{\"type\":\"page\",\"name\":\"Home\",\"anonymousId\":\"a1\",\"messageId\":\"p-1\"}\n"
                  + "{\"type\":\"page\",\"name\":\n"
                  + "{\"type\":\"screen\",\"name\":\"Cart\",\"userId\":\"u1\",\"messageId\":\"s-1\","
                  + "\"properties\":{\"items\":3}}\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    try (ExampleProcess p = run(export.toString())) {
      assertEquals(0, p.awaitExit(), p.output());
      assertTrue(p.output().contains(export + " line 2 skipped: "), p.output());
      assertTrue(
          p.output().contains("2 events, rows {pages=1, screens=1}, 0 discards"), p.output());
    }
    assertEquals("p-1|Home\n", query("SELECT id, name FROM imported.pages"));
    assertEquals("s-1|Cart|3\n", query("SELECT id, name, items FROM imported.screens"));
  }
}
