package io.segmentredshift.testkit;

/**
 * A test fixture could not start. The message says what is missing (a command, a port, disk space)
 * in one line; the cause is kept for whoever wants the details.
 */
public final class FixtureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FixtureException(String message, Throwable cause) {
    super(message, cause);
  }

  FixtureException(String message) {
    super(message);
  }

  /** Only the one-line message: a fixture failure is a setup problem, not a bug to debug. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
