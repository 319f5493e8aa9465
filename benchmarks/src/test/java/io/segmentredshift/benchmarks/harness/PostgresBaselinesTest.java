package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PostgresBaselinesTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  @Test
  void theSameSeedGivesTheSameRows() {
    TrackRows a = TrackRows.seeded(3);
    TrackRows b = TrackRows.seeded(3);
    for (int i = 0; i < 100; i++) {
      Object[] row = a.next();
      assertEquals(20, row.length);
      assertTrue(Arrays.equals(row, b.next()));
    }
  }

  @Test
  void csvQuotesStringsAndLeavesNullsEmpty() {
    StringBuilder line = new StringBuilder();
    Object[] row = new Object[20];
    row[0] = "a\"b,c";
    row[1] = "";
    row[11] = OffsetDateTime.parse("2024-03-05T00:00:00.78Z");
    row[16] = 12.5;
    row[18] = 7L;
    row[19] = true;
    TrackRows.appendCsv(line, row);
    assertEquals(
        "\"a\"\"b,c\",\"\",,,,,,,,,,2024-03-05T00:00:00.780Z,,,,,12.5,,7,true\n", line.toString());
  }

  @Test
  void copiesACsvFileAndInsertsRowByRowIntoTheSameShapeOfTable(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("tracks.csv");
    long bytes = TrackRows.seeded(42).writeCsv(csv, 2_000);
    assertEquals(bytes, Files.size(csv));
    assertTrue(bytes > 2_000 * 300, "realistic rows: " + bytes / 2_000 + " bytes each");

    PostgresBaselines.createTable(PG.dataSource(), "copy_tracks", false);
    PostgresBaselines.LoadBaseline copy =
        PostgresBaselines.copyCeiling(PG.dataSource(), "copy_tracks", csv);
    assertEquals(2_000, copy.rows());
    assertTrue(copy.rowsPerSecond() > 0);

    TrackRows sample = TrackRows.seeded(42);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(sample.next());
    }
    PostgresBaselines.createTable(PG.dataSource(), "insert_tracks", false);
    PostgresBaselines.LoadBaseline insert =
        PostgresBaselines.rowByRowInserts(PG.dataSource(), "insert_tracks", rows);
    assertEquals(50, insert.rows());

    // Both paths store the same first 50 rows, value for value.
    try (Connection connection = PG.connect();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT count(*) FROM (SELECT * FROM insert_tracks EXCEPT"
                    + " SELECT * FROM copy_tracks) missing")) {
      rs.next();
      assertEquals(0, rs.getLong(1));
    }
    try (Connection connection = PG.connect();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT count(*), count(user_id), count(quantity), min(event), max(uuid_ts)"
                    + " FROM copy_tracks")) {
      rs.next();
      assertEquals(2_000, rs.getLong(1));
      assertTrue(rs.getLong(2) < 2_000, "anonymous visitors have no user_id");
      assertTrue(rs.getLong(3) < 2_000, "a drifted quantity is null");
      assertNotNull(rs.getString(4));
      assertNotNull(rs.getObject(5, OffsetDateTime.class));
    }
  }

  @Test
  void reportsWhetherCommitsAreFlushed() throws Exception {
    // The shared test server trades durability for speed.
    assertEquals("off,off,off", PostgresBaselines.durability(PG.dataSource()));
  }

  @Test
  void acceptsOnlyPlainTableNames() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PostgresBaselines.createTable(PG.dataSource(), "x; DROP TABLE y", false));
    assertEquals("table is not a plain lower-case identifier: x; DROP TABLE y", e.getMessage());
  }

  @Test
  void describesTheMachineAndTheDatabaseVersion() throws Exception {
    Machine machine = Machine.describe().withPostgres(PG.dataSource());
    assertTrue(machine.cores() >= 1);
    assertTrue(machine.memoryBytes() > 0);
    assertTrue(machine.postgresVersion().startsWith("17"), machine.postgresVersion());
    assertTrue(machine.markdown().contains("; PostgreSQL 17"), machine.markdown());
    assertTrue(machine.jdk().contains(System.getProperty("java.version")), machine.jdk());
  }

  @Test
  void readsTheCpuModelAndOsName() {
    assertEquals(
        "AMD EPYC 7B13",
        Machine.cpuModel("processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: fpu\n"));
    assertEquals("unknown CPU", Machine.cpuModel(""));
    assertEquals(
        "Debian GNU/Linux 12 (bookworm)",
        Machine.osName("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"));
  }
}
