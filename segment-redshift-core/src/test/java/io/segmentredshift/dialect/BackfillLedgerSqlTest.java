package io.segmentredshift.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackfillLedgerSqlTest {
  @Test
  void createsTheLedgerWithEachDialectsTypes() {
    assertEquals(
        List.of(
            "CREATE SCHEMA IF NOT EXISTS \"segment_prod\"",
            "CREATE TABLE IF NOT EXISTS \"segment_prod\".\"_backfill_files\" (\n"
                + "  \"archive_key\" VARCHAR(1024) NOT NULL,\n"
                + "  \"size_bytes\" BIGINT NOT NULL,\n"
                + "  \"version\" VARCHAR(256) NOT NULL,\n"
                + "  \"location\" VARCHAR(4096),\n"
                + "  \"events\" BIGINT,\n"
                + "  \"malformed_lines\" BIGINT,\n"
                + "  \"discards\" BIGINT,\n"
                + "  \"loaded_at\" TIMESTAMP\n"
                + ")"),
        BackfillLedgerSql.of(Dialect.redshift()).create("segment_prod"));
    assertEquals(
        "CREATE TABLE IF NOT EXISTS \"s\".\"_backfill_files\" (\n"
            + "  \"archive_key\" text NOT NULL,\n"
            + "  \"size_bytes\" bigint NOT NULL,\n"
            + "  \"version\" text NOT NULL,\n"
            + "  \"location\" text,\n"
            + "  \"events\" bigint,\n"
            + "  \"malformed_lines\" bigint,\n"
            + "  \"discards\" bigint,\n"
            + "  \"loaded_at\" timestamptz\n"
            + ")",
        BackfillLedgerSql.of(Dialect.postgres()).create("s").get(1));
  }

  @Test
  void selectsAndInsertsThroughTheQuoter() {
    BackfillLedgerSql sql = BackfillLedgerSql.of(Dialect.postgres());
    assertEquals(
        "SELECT \"archive_key\", \"size_bytes\", \"version\" FROM \"a\"\"b\".\"_backfill_files\"",
        sql.selectLoaded("a\"b"));
    assertEquals(
        "INSERT INTO \"s\".\"_backfill_files\" (\"archive_key\", \"size_bytes\", \"version\","
            + " \"location\", \"events\", \"malformed_lines\", \"discards\", \"loaded_at\")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        sql.insert("s"));
  }
}
