package io.segmentredshift.load;

import io.segmentredshift.load.LoadException.Reason;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * Sorts database failures into retryable and permanent ones, by SQLSTATE first (as jOOQ and most
 * drivers do) and by Redshift's message where Redshift gives no useful SQLSTATE.
 *
 * <ul>
 *   <li>{@link Reason#CONFLICT}, retryable: {@code 40001} (serialization failure), {@code 40P01}
 *       (deadlock), and Redshift's {@code 1023} "Serializable isolation violation" and "could not
 *       complete because of conflict with concurrent transaction" (snapshot isolation), which come
 *       as {@code XX000}.
 *   <li>{@link Reason#CONNECTION}, retryable: SQLSTATE class {@code 08} (connection exception),
 *       {@code 57P01}..{@code 57P03} (the server shut down or is starting), the JDBC transient and
 *       recoverable connection exceptions, and any failure after which the connection is closed.
 *   <li>{@link Reason#DATABASE}, permanent: everything else (syntax, permissions, a value the
 *       column refuses, a full disk).
 * </ul>
 */
final class Failures {
  private Failures() {}

  /** The reason for {@code e}; {@code connection} (may be null) is checked for being closed. */
  static Reason classify(SQLException e, Connection connection) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      Reason r = classifyOne(x);
      if (r != Reason.DATABASE) {
        return r;
      }
      for (Throwable cause = x.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof SQLException s && s != x && classifyOne(s) != Reason.DATABASE) {
          return classifyOne(s);
        }
      }
    }
    if (connection != null && closed(connection)) {
      return Reason.CONNECTION;
    }
    return Reason.DATABASE;
  }

  private static Reason classifyOne(SQLException x) {
    String state = x.getSQLState() == null ? "" : x.getSQLState();
    String message = x.getMessage() == null ? "" : x.getMessage().toLowerCase(Locale.ROOT);
    if (state.equals("40001")
        || state.equals("40P01")
        || message.contains("serializable isolation violation")
        || message.contains("conflict with concurrent transaction")) {
      return Reason.CONFLICT;
    }
    if (state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || x instanceof SQLTransientConnectionException
        || x instanceof SQLRecoverableException) {
      return Reason.CONNECTION;
    }
    return Reason.DATABASE;
  }

  /** A {@link LoadException} for {@code e}: what failed, the SQLSTATE, never the driver's text. */
  static LoadException wrap(String what, SQLException e, Connection connection) {
    Reason reason = classify(e, connection);
    return new LoadException(
        reason,
        reason != Reason.DATABASE,
        what
            + " failed: "
            + reason.name().toLowerCase(Locale.ROOT)
            + " (SQLSTATE "
            + e.getSQLState()
            + ")",
        e);
  }

  private static boolean closed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
