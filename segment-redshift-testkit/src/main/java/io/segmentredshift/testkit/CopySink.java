package io.segmentredshift.testkit;

import com.amazon.redshift.RedshiftConnection;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * A {@code COPY ... FROM STDIN} on the caller's own session, through the COPY API of whichever
 * driver made the connection: pgjdbc's or the Redshift driver's (a pgjdbc fork with the same API).
 */
interface CopySink {
  void write(byte[] bytes, int offset, int length) throws SQLException;

  /** Ends the COPY and returns the number of rows PostgreSQL took. */
  long end() throws SQLException;

  /** Abandons the COPY; PostgreSQL rolls it back (and aborts an enclosing transaction). */
  void cancel();

  static CopySink open(Connection connection, String copySql) throws SQLException {
    if (connection.isWrapperFor(PGConnection.class)) {
      org.postgresql.copy.CopyIn in =
          connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
      return new CopySink() {
        @Override
        public void write(byte[] bytes, int offset, int length) throws SQLException {
          in.writeToCopy(bytes, offset, length);
        }

        @Override
        public long end() throws SQLException {
          return in.endCopy();
        }

        @Override
        public void cancel() {
          try {
            if (in.isActive()) {
              in.cancelCopy();
            }
          } catch (SQLException e) {
            // cancelling reports the abandoned COPY as an error; that is the point
          }
        }
      };
    }
    if (connection.isWrapperFor(RedshiftConnection.class)) {
      com.amazon.redshift.copy.CopyIn in =
          connection.unwrap(RedshiftConnection.class).getCopyAPI().copyIn(copySql);
      return new CopySink() {
        @Override
        public void write(byte[] bytes, int offset, int length) throws SQLException {
          in.writeToCopy(bytes, offset, length);
        }

        @Override
        public long end() throws SQLException {
          return in.endCopy();
        }

        @Override
        public void cancel() {
          try {
            if (in.isActive()) {
              in.cancelCopy();
            }
          } catch (SQLException e) {
            // cancelling reports the abandoned COPY as an error; that is the point
          }
        }
      };
    }
    throw new SQLException(
        "The Redshift emulation needs a pgjdbc or Amazon Redshift JDBC connection for COPY, not "
            + connection.getClass().getName(),
        "0A000");
  }
}
