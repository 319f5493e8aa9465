package io.segmentredshift.load;

import java.sql.SQLException;
import java.util.Objects;

/** Picks one of two loaders per table by its row count. */
final class AutomaticLoader implements Loader {
  private final Loader small;
  private final Loader large;
  private final int largeFromRows;

  AutomaticLoader(Loader small, Loader large, int largeFromRows) {
    this.small = Objects.requireNonNull(small, "small == null");
    this.large = Objects.requireNonNull(large, "large == null");
    if (largeFromRows <= 0) {
      throw new IllegalArgumentException("largeFromRows <= 0: " + largeFromRows);
    }
    this.largeFromRows = largeFromRows;
  }

  @Override
  public String name() {
    return "auto(" + small.name() + "<" + largeFromRows + "<=" + large.name() + ")";
  }

  @Override
  public Staged stage(StagingTable table) throws SQLException {
    return (table.rows().size() < largeFromRows ? small : large).stage(table);
  }

  /** Direct when both are: which one writes is decided per table, after the ids are filtered. */
  @Override
  public boolean direct() {
    return small.direct() && large.direct();
  }

  @Override
  public String toString() {
    return name();
  }
}
