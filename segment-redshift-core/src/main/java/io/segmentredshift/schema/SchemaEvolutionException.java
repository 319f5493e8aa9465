package io.segmentredshift.schema;

import io.segmentredshift.SegmentRedshiftException;

/** The warehouse schema could not be read or brought up to what a batch needs. */
public final class SchemaEvolutionException extends SegmentRedshiftException {
  private static final long serialVersionUID = 1L;

  /** What failed. */
  public enum Reason {
    /** Reading the catalog or the name map failed. */
    CATALOG,
    /** A DDL statement or recording a claim failed for a reason other than a concurrent change. */
    DDL,
    /** Concurrent changes kept interfering until the attempts ran out. */
    CONCURRENT_CHANGES
  }

  private final Reason reason;

  SchemaEvolutionException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** What failed. */
  public Reason reason() {
    return reason;
  }
}
