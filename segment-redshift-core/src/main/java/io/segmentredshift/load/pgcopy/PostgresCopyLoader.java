package io.segmentredshift.load.pgcopy;

import io.segmentredshift.load.CsvWriter;
import io.segmentredshift.load.LoadException;
import io.segmentredshift.load.Loader;
import io.segmentredshift.load.Staged;
import io.segmentredshift.load.StagingTable;
import io.segmentredshift.schema.LoadRow;
import java.io.IOException;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Writes rows with PostgreSQL's {@code COPY ... FROM STDIN} through pgjdbc's {@code CopyManager},
 * streamed to the server as they are encoded, without a file: in the binary format (values in their
 * types' binary form, so neither side formats or parses numbers and timestamps), or in CSV ({@link
 * CsvWriter}, NULL as an unquoted empty field, strings quoted) for a table where some value is not
 * of its column's type (a library table changed by hand). {@linkplain #direct() Direct}: on
 * PostgreSQL it copies straight into the target, inside the merge transaction.
 *
 * <p>Needs pgjdbc ({@code org.postgresql:postgresql}, an optional dependency of this library): the
 * connection must unwrap to {@link PGConnection} (a pooled pgjdbc connection does).
 */
public final class PostgresCopyLoader implements Loader {
  private static final int BUFFER_BYTES = 1 << 16;

  /** A loader. */
  public PostgresCopyLoader() {}

  @Override
  public String name() {
    return "pg-copy";
  }

  /** True: a COPY FROM STDIN runs inside the merge transaction. */
  @Override
  public boolean direct() {
    return true;
  }

  @Override
  public Staged stage(StagingTable table) throws SQLException {
    if (table.rows().isEmpty()) {
      return Staged.of(name(), 0);
    }
    if (!table.connection().isWrapperFor(PGConnection.class)) {
      throw new LoadException(
          LoadException.Reason.CONFIGURATION,
          false,
          "PostgresCopyLoader needs a pgjdbc connection (org.postgresql.PGConnection)",
          null);
    }
    PGConnection pg = table.connection().unwrap(PGConnection.class);
    boolean binary = BinaryCopyWriter.fits(table.target(), table.rows());
    String sql =
        binary
            ? table.dialect().copyBinaryFromStdin(table.schema(), table.name(), table.columnNames())
            : table.dialect().copyFromStdin(table.schema(), table.name(), table.columnNames());
    PGCopyOutputStream out = new PGCopyOutputStream(pg, sql, BUFFER_BYTES);
    long copied;
    try {
      if (binary) {
        BinaryCopyWriter writer = new BinaryCopyWriter(out);
        for (LoadRow row : table.rows()) {
          writer.write(row);
        }
        writer.finish();
      } else {
        CsvWriter csv = new CsvWriter(out, "");
        for (LoadRow row : table.rows()) {
          csv.write(row);
        }
        csv.flush();
      }
      copied = out.endCopy();
    } catch (IOException e) {
      // pgjdbc reports a server error during the copy as an IOException around an SQLException.
      cancel(out);
      if (e.getCause() instanceof SQLException s) {
        throw s;
      }
      throw new SQLException("COPY into " + table.name() + " failed", "08006", e);
    } catch (SQLException | RuntimeException e) {
      cancel(out);
      throw e;
    }
    return Staged.of(name(), copied);
  }

  private static void cancel(PGCopyOutputStream out) {
    try {
      if (out.isActive()) {
        out.cancelCopy();
      }
    } catch (SQLException e) {
      // The copy is being abandoned because of an earlier failure, which is what gets reported.
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
