package io.segmentredshift.load;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Loader} put into a staging table.
 *
 * @param loader the name of the loader that did it (recorded in {@code _loads})
 * @param rows the number of rows staged
 * @param copyQueryIds the warehouse's query ids of the COPY statements, if any (Redshift's {@code
 *     pg_last_copy_id()})
 * @param cleanup run once when the batch's attempt is over, committed or not (e.g. deletes the
 *     staged S3 objects); never throws
 */
public record Staged(String loader, long rows, List<Long> copyQueryIds, Runnable cleanup) {
  /** Checks and copies. */
  public Staged {
    Objects.requireNonNull(loader, "loader == null");
    copyQueryIds = List.copyOf(copyQueryIds);
    Objects.requireNonNull(cleanup, "cleanup == null");
  }

  /** Rows staged with no query ids and nothing to clean up. */
  public static Staged of(String loader, long rows) {
    return new Staged(loader, rows, List.of(), () -> {});
  }
}
