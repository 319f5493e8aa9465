package io.segmentredshift.load;

import io.segmentredshift.SegmentRedshiftException;
import java.util.List;
import java.util.Objects;

/**
 * A batch could not be loaded. The {@link #reason()} says why and {@link #retryable()} whether the
 * same batch may succeed when tried again (a serialization conflict, a broken connection); the load
 * path has already retried those as its {@link RetryPolicy} allows. Messages name tables, files,
 * lines, columns and SQLSTATEs, never row values; the driver's exception is the cause.
 */
public final class LoadException extends SegmentRedshiftException {
  private static final long serialVersionUID = 1L;

  /** Why a load failed. */
  public enum Reason {
    /** A serialization failure or deadlock with a concurrent transaction (retryable). */
    CONFLICT,
    /** The connection broke or could not be opened (retryable). */
    CONNECTION,
    /** The warehouse refused some rows; {@link #errors()} names them. */
    ROWS_REJECTED,
    /** Writing or deleting the staged files (S3) failed. */
    STORAGE,
    /** Any other database error. */
    DATABASE,
    /** The configuration does not fit the warehouse (e.g. a COPY loader on the wrong driver). */
    CONFIGURATION,
    /** The loading thread was interrupted. */
    INTERRUPTED,
    /** The instance was closed. */
    CLOSED
  }

  private final Reason reason;
  private final boolean retryable;
  private final List<LoadError> errors;

  /**
   * An exception for a loader or the load path.
   *
   * @param reason why the load failed
   * @param retryable true when the same batch may succeed when tried again
   * @param message what failed, without row values
   * @param cause the underlying failure, or null
   */
  public LoadException(Reason reason, boolean retryable, String message, Throwable cause) {
    this(reason, retryable, message, cause, List.of());
  }

  private LoadException(
      Reason reason, boolean retryable, String message, Throwable cause, List<LoadError> errors) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason == null");
    this.retryable = retryable;
    this.errors = List.copyOf(errors);
  }

  /**
   * The warehouse refused the rows in {@code errors}; the load path quarantines them and stages the
   * batch again without them.
   */
  public static LoadException rowsRejected(
      String message, List<LoadError> errors, Throwable cause) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("errors is empty");
    }
    return new LoadException(Reason.ROWS_REJECTED, false, message, cause, errors);
  }

  /** Why the load failed. */
  public Reason reason() {
    return reason;
  }

  /** True when trying the same batch again may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** The refused rows, for {@link Reason#ROWS_REJECTED}; else empty. */
  public List<LoadError> errors() {
    return errors;
  }
}
