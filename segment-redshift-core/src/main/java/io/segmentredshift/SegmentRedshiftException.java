package io.segmentredshift;

/**
 * The root of every exception this library throws. Unchecked; subclasses carry a machine-readable
 * reason. Messages never contain secrets, signatures or row values.
 */
public class SegmentRedshiftException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public SegmentRedshiftException(String message) {
    super(message);
  }

  /** An exception with a message and the failure that caused it. */
  public SegmentRedshiftException(String message, Throwable cause) {
    super(message, cause);
  }
}
