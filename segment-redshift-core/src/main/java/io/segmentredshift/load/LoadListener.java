package io.segmentredshift.load;

import io.segmentredshift.SegmentRedshiftException;

/**
 * Told about every batch a {@code SegmentRedshift} loads: for metrics, alerts or tests. Called on
 * the loading thread after the outcome is known; keep it quick and do not throw.
 */
public interface LoadListener {
  /** A listener that does nothing. */
  LoadListener NONE = result -> {};

  /** A batch was committed (or had been, see {@link LoadResult#attempts()}). */
  void loaded(LoadResult result);

  /** A batch failed for good: nothing of it was committed. */
  default void failed(String batchId, int eventCount, SegmentRedshiftException failure) {}
}
