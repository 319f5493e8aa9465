package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.segmentredshift.load.LoadException.Reason;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Retryable or permanent: the classification of database failures. */
class FailuresTest {
  private static Reason classify(SQLException e) {
    return Failures.classify(e, null);
  }

  @Test
  void serializationFailuresAndDeadlocksAreConflicts() {
    assertEquals(Reason.CONFLICT, classify(new SQLException("could not serialize", "40001")));
    assertEquals(Reason.CONFLICT, classify(new SQLException("deadlock detected", "40P01")));
    assertEquals(
        Reason.CONFLICT,
        classify(
            new SQLException(
                "ERROR: 1023 DETAIL: Serializable isolation violation on table - 156362,"
                    + " transactions forming the cycle are: 1, 2",
                "XX000")));
    assertEquals(
        Reason.CONFLICT,
        classify(
            new SQLException(
                "ERROR: could not complete because of conflict with concurrent transaction",
                "XX000")));
  }

  @Test
  void brokenConnectionsAreConnectionFailures() {
    assertEquals(Reason.CONNECTION, classify(new SQLException("I/O error", "08006")));
    assertEquals(Reason.CONNECTION, classify(new SQLException("refused", "08001")));
    assertEquals(Reason.CONNECTION, classify(new SQLException("terminating", "57P01")));
    assertEquals(Reason.CONNECTION, classify(new SQLTransientConnectionException("timeout")));
    assertEquals(Reason.CONNECTION, classify(new SQLRecoverableException("gone")));
    SQLException wrapped = new SQLException("copy failed", "XX000", new IOException("reset"));
    wrapped.setNextException(new SQLException("I/O error", "08006"));
    assertEquals(Reason.CONNECTION, classify(wrapped));
    assertEquals(
        Reason.CONNECTION,
        classify(new SQLException("outer", null, new SQLException("inner", "08003"))));
  }

  @Test
  void everythingElseIsPermanentAndTheMessageKeepsTheDriversTextOut() {
    assertEquals(Reason.DATABASE, classify(new SQLException("syntax error", "42601")));
    assertEquals(Reason.DATABASE, classify(new SQLException("value too long", "22001")));
    assertEquals(Reason.DATABASE, classify(new SQLException("no state")));
    LoadException e =
        Failures.wrap(
            "merging tracks",
            new SQLException("invalid input syntax for type bigint: \"secret\"", "22P02"),
            null);
    assertFalse(e.retryable());
    assertEquals("merging tracks failed: database (SQLSTATE 22P02)", e.getMessage());
    assertTrue(Failures.wrap("x", new SQLException("y", "40001"), null).retryable());
  }
}
