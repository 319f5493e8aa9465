package io.segmentredshift.examples.server;

import io.segmentredshift.SegmentRedshiftException;

/**
 * Stops a command with one line for the user and an exit code: {@link #USAGE} for a configuration
 * that is wrong as given, {@link #FAILURE} for one that could not be carried out (a port in use, a
 * warehouse that cannot be reached). The message never holds a secret.
 */
final class CommandLineException extends SegmentRedshiftException {
  private static final long serialVersionUID = 1L;

  /** The exit code of a bad configuration: an unknown option, a bad value, a missing one. */
  static final int USAGE = 2;

  /** The exit code of a failure to start or to finish. */
  static final int FAILURE = 1;

  private final int exitCode;

  private CommandLineException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A configuration that is wrong as given. */
  static CommandLineException usage(String message) {
    return new CommandLineException(message, USAGE, null);
  }

  /** A configuration that could not be carried out. */
  static CommandLineException failure(String message, Throwable cause) {
    return new CommandLineException(message, FAILURE, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
