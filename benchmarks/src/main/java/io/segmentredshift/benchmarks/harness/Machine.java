package io.segmentredshift.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The machine a benchmark ran on, for the top of every results file: figures from a shared, noisy
 * machine mean little without it.
 *
 * @param cores the processors this JVM may use
 * @param memoryBytes the machine's memory ({@code MemTotal}), 0 if unknown
 * @param cpuModel the processor model, or "unknown CPU"
 * @param jdk the Java runtime, such as "OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1"
 * @param os the operating system, such as "Debian GNU/Linux 12 (bookworm), Linux 6.1 amd64"
 * @param postgresVersion the PostgreSQL server version, or null when none was used
 */
public record Machine(
    int cores, long memoryBytes, String cpuModel, String jdk, String os, String postgresVersion) {

  /** Describes this machine and JVM, without a database. */
  public static Machine describe() {
    String meminfo = readOrEmpty(Path.of("/proc/meminfo"));
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        ProcessStats.statusKilobytes(meminfo, "MemTotal") * 1024,
        cpuModel(readOrEmpty(Path.of("/proc/cpuinfo"))),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        osName(readOrEmpty(Path.of("/etc/os-release")))
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        null);
  }

  /** This description with the version of the PostgreSQL server behind the data source. */
  public Machine withPostgres(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SHOW server_version")) {
      rs.next();
      return new Machine(cores, memoryBytes, cpuModel, jdk, os, rs.getString(1));
    }
  }

  /** One Markdown line: cores, memory, CPU, JDK, OS and, if known, PostgreSQL. */
  public String markdown() {
    StringBuilder line = new StringBuilder();
    line.append(cores).append(cores == 1 ? " core" : " cores");
    if (memoryBytes > 0) {
      line.append(
          String.format(Locale.ROOT, ", %.1f GiB memory", memoryBytes / (double) (1L << 30)));
    }
    line.append(", ").append(cpuModel);
    line.append("; ").append(jdk);
    line.append("; ").append(os);
    if (postgresVersion != null) {
      line.append("; PostgreSQL ").append(postgresVersion);
    }
    return line.toString();
  }

  static String cpuModel(String cpuinfo) {
    for (String line : cpuinfo.split("\n")) {
      if (line.startsWith("model name")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          return line.substring(colon + 1).trim();
        }
      }
    }
    return "unknown CPU";
  }

  static String osName(String osRelease) {
    for (String line : osRelease.split("\n")) {
      if (line.startsWith("PRETTY_NAME=")) {
        return line.substring("PRETTY_NAME=".length()).replace("\"", "").trim();
      }
    }
    return System.getProperty("os.name");
  }

  private static String readOrEmpty(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
