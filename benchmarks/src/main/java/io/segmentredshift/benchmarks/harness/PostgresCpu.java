package io.segmentredshift.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The CPU time of a PostgreSQL server, all its processes together, read from {@code /proc}: the
 * postmaster's own time, the time of the children it has reaped ({@code cutime}, {@code cstime}:
 * backends of closed connections), and the time of its live children (backends, WAL writer,
 * checkpointer). The difference of two readings is what the server spent on the work between them,
 * so that a load figure can say how much of its time was the database's.
 *
 * <pre>{@code
 * PostgresCpu pg = PostgresCpu.of(dataSource);
 * long before = pg.cpuNanos();
 * ... load ...
 * double pgSeconds = (pg.cpuNanos() - before) / 1e9;
 * }</pre>
 */
public final class PostgresCpu {
  private final long postmaster;

  private PostgresCpu(long postmaster) {
    this.postmaster = postmaster;
  }

  /** The server behind {@code dataSource}; it must run on this machine. */
  public static PostgresCpu of(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return new PostgresCpu(parentOf(rs.getLong(1)));
    }
  }

  /** The postmaster's process id. */
  public long pid() {
    return postmaster;
  }

  /** CPU time of the whole server since it started, in nanoseconds. */
  public long cpuNanos() {
    long ticks = ownAndReapedTicks(read(Path.of("/proc", Long.toString(postmaster), "stat")));
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        String stat = read(proc.resolve("stat"));
        if (!stat.isEmpty() && parentField(stat) == postmaster) {
          ticks += ownAndReapedTicks(stat);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return ticks * 1_000_000_000L / ProcessStats.clockTicksPerSecond();
  }

  static long parentOf(long pid) {
    return parentField(read(Path.of("/proc", Long.toString(pid), "stat")));
  }

  /** Field 4 (ppid) of a {@code /proc/<pid>/stat} line. */
  static long parentField(String stat) {
    return Long.parseLong(ProcessStats.statFields(stat, 2)[1]);
  }

  /** utime + stime + cutime + cstime (fields 14 to 17) of a {@code /proc/<pid>/stat} line. */
  static long ownAndReapedTicks(String stat) {
    String[] f = ProcessStats.statFields(stat, 15);
    return Long.parseLong(f[11])
        + Long.parseLong(f[12])
        + Long.parseLong(f[13])
        + Long.parseLong(f[14]);
  }

  // A process may end between listing /proc and reading it: then it counts as nothing here (its
  // time moves to the postmaster's cutime once reaped).
  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }
}
