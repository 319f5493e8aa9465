package io.segmentredshift.testkit;

import static io.segmentredshift.testkit.S3Objects.copy;
import static io.segmentredshift.testkit.S3Objects.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazon.redshift.RedshiftConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The emulation through the real Amazon Redshift JDBC driver, as the library will use it. */
class RedshiftDriverEmulationTest {
  @RegisterExtension
  static final EmbeddedRedshiftExtension REDSHIFT = new EmbeddedRedshiftExtension();

  private final S3Objects s3 = new S3Objects(REDSHIFT);

  @Test
  void loadsAGzipCsvManifestThroughTheRedshiftDriversCopyApi() throws SQLException {
    String part0 = s3.putGzip("driver/part-0.csv.gz", "1,\"a, b\",2024-03-05T10:11:12.5Z\n");
    String part1 = s3.putGzip("driver/part-1.csv.gz", "2,,2024-03-05 10:11:12\n");
    String manifest = s3.manifest("driver/manifest", part0, part1);
    try (Connection c = REDSHIFT.redshiftDriverDataSource().getConnection();
        Statement s = c.createStatement()) {
      assertTrue(c.isWrapperFor(RedshiftConnection.class));
      s.execute("SET query_group TO 'segment-redshift'");
      s.execute(
          "CREATE TEMP TABLE stage (id bigint ENCODE az64, v varchar(8) ENCODE zstd,"
              + " at timestamp SORTKEY) DISTSTYLE EVEN");
      c.setAutoCommit(false);
      assertEquals(
          2, s.executeUpdate(copy("stage", manifest, "MANIFEST CSV GZIP TIMEFORMAT 'auto'")));
      c.commit();
      assertEquals(
          List.of("1|a, b|2024-03-05 10:11:12.5", "2||2024-03-05 10:11:12"),
          rows(c, "SELECT id, v, at FROM stage ORDER BY id"));
    }
  }

  @Test
  void aFailedCopyThroughTheRedshiftDriverAbortsTheTransactionAndRecordsTheError()
      throws SQLException {
    String file = s3.put("driver/bad.json", "{\"id\": 1}\n{\"id\": \"two\"}\n");
    try (Connection c = REDSHIFT.redshiftDriverDataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE j (id bigint)");
      c.setAutoCommit(false);
      SQLException e =
          assertThrows(SQLException.class, () -> s.execute(copy("j", file, "JSON 'auto'")));
      assertTrue(e.getMessage().contains("Load into table 'j' failed"), e.getMessage());
      assertThrows(SQLException.class, () -> rows(c, "SELECT 1"));
      c.rollback();
      c.setAutoCommit(true);
      assertEquals(
          List.of("2|id|1207"),
          rows(
              c,
              "SELECT line_number, trim(colname), err_code FROM stl_load_errors"
                  + " WHERE query = pg_last_copy_id()"));
    }
  }
}
