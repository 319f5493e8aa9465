package io.segmentredshift.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.dialect.Dialect;
import io.segmentredshift.testkit.EmbeddedPostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BackfillLedgerTest {
  @RegisterExtension static final EmbeddedPostgresExtension PG = EmbeddedPostgresExtension.shared();

  private static final ArchiveFile FILE =
      new ArchiveFile(
          "segment-logs/src/1709251200000/a.gz",
          "src",
          LocalDate.of(2024, 3, 1),
          1234,
          "etag:abc",
          "segment-logs/src/1709251200000/a.gz",
          "s3://bucket/segment-logs/src/1709251200000/a.gz");

  @Test
  void aRecordedFileIsKnownToTheNextRunByKeySizeAndVersion() throws Exception {
    BackfillLedger first = new BackfillLedger(PG.dataSource(), Dialect.postgres(), "ledger_test");
    first.open();
    assertFalse(first.contains(FILE));
    first.record(FILE, 100, 2, 1, Instant.parse("2024-04-01T00:00:00Z"));
    assertTrue(first.contains(FILE));

    BackfillLedger second = new BackfillLedger(PG.dataSource(), Dialect.postgres(), "ledger_test");
    second.open();
    assertTrue(second.contains(FILE));
    // Rewritten in place (another size or version): loaded again.
    assertFalse(second.contains(withSizeAndVersion(FILE, 1235, "etag:abc")));
    assertFalse(second.contains(withSizeAndVersion(FILE, 1234, "etag:def")));

    try (Connection c = PG.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT location, events, malformed_lines, discards, loaded_at"
                    + " FROM ledger_test._backfill_files")) {
      assertTrue(rs.next());
      assertEquals(FILE.location(), rs.getString(1));
      assertEquals(100, rs.getLong(2));
      assertEquals(2, rs.getLong(3));
      assertEquals(1, rs.getLong(4));
      assertEquals(Instant.parse("2024-04-01T00:00:00Z"), rs.getTimestamp(5).toInstant());
      assertFalse(rs.next());
    }
  }

  private static ArchiveFile withSizeAndVersion(ArchiveFile f, long size, String version) {
    return new ArchiveFile(f.key(), f.sourceId(), f.day(), size, version, f.path(), f.location());
  }
}
