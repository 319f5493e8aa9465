package io.segmentredshift.examples.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.SegmentRedshift;
import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.load.LoadResult;
import io.segmentredshift.testkit.EmbeddedRedshiftExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redshift example's wiring against the testkit's Redshift emulation (PostgreSQL and S3). */
class RedshiftCopyExampleTest {
  @RegisterExtension
  static final EmbeddedRedshiftExtension REDSHIFT = new EmbeddedRedshiftExtension();

  @Test
  void stagesTheRowsInS3AndCopiesThemIntoRedshift() throws Exception {
    LoadResult result;
    try (SegmentRedshift segment =
        RedshiftCopyExample.open(
            REDSHIFT.dataSource(),
            REDSHIFT.s3(),
            REDSHIFT.bucket(),
            EmbeddedRedshiftExtension.IAM_ROLE)) {
      assertEquals(Dialect.redshift(), segment.dialect());
      result = segment.load(LoaderExample.sampleEvents());
    }
    assertEquals("s3-copy", result.loader());
    assertEquals(1, result.rows("order_completed"));
    assertEquals(1, result.rows("identifies"));
    assertFalse(result.copyQueryIds().isEmpty(), result.toString());
    try (Connection c = REDSHIFT.postgres().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, total, coupon FROM segment.order_completed")) {
      assertTrue(rs.next());
      assertEquals("order-1001", rs.getString(1));
      assertEquals(27.5, rs.getDouble(2));
      assertEquals("SPRING", rs.getString(3));
      assertFalse(rs.next());
    }
    // The staged files are deleted once the load is over.
    assertEquals(
        0,
        REDSHIFT
            .s3()
            .listObjectsV2(b -> b.bucket(REDSHIFT.bucket()).prefix("segment-redshift/"))
            .keyCount());
  }
}
