package io.segmentredshift.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * An example's {@code main} run as a user runs it: in a JVM of its own, configured by environment
 * variables, stopped with SIGTERM. Each JVM gets the test class path less the jars named, so that
 * the Jetty example runs without Tomcat's copy of the servlet API and the Tomcat example without
 * Jetty's.
 */
public final class ExampleProcess implements AutoCloseable {
  /** The environment variables the examples read. */
  private static final List<String> VARIABLES =
      List.of(
          "JDBC_URL",
          "SEGMENT_SECRET",
          "WRITE_KEY",
          "PORT",
          "SPOOL_DIR",
          "REDSHIFT_URL",
          "REDSHIFT_USER",
          "REDSHIFT_PASSWORD",
          "S3_BUCKET",
          "IAM_ROLE");

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private ExampleProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "example-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The environment the servlet examples read: the warehouse, the webhook secret, port 0 (any free
   * port, printed on start) and the spool directory.
   */
  public static Map<String, String> webhookEnv(String jdbcUrl, String secret, Path spoolDir) {
    return Map.of(
        "JDBC_URL",
        jdbcUrl,
        "SEGMENT_SECRET",
        secret,
        "PORT",
        "0",
        "SPOOL_DIR",
        spoolDir.toString());
  }

  /**
   * Starts {@code main} with {@code env} added to this JVM's environment.
   *
   * @param withoutJars jar name prefixes left off the class path, e.g. {@code "tomcat-embed-core"}
   */
  public static ExampleProcess start(
      Class<?> main, Map<String, String> env, List<String> withoutJars, String... args)
      throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String filtered =
        Arrays.stream(classpath.split(File.pathSeparator))
            .filter(entry -> !entry.isEmpty())
            .filter(
                entry ->
                    withoutJars.stream()
                        .noneMatch(jar -> Path.of(entry).getFileName().toString().startsWith(jar)))
            .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(filtered);
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Only the test's settings: none of the examples' variables from this machine's environment.
    builder.environment().keySet().removeAll(VARIABLES);
    builder.environment().putAll(env);
    Process p = builder.start();
    p.getOutputStream().close();
    return new ExampleProcess(p);
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits up to 60 s for a line that matches {@code pattern}; returns its first group. */
  public String await(Pattern pattern) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          Matcher m = pattern.matcher(lines.get(seen));
          if (m.find()) {
            return m.groupCount() > 0 ? m.group(1) : m.group();
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
          fail("no line matches " + pattern + "; the output:\n" + output());
        }
        TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
    }
  }

  /** Sends SIGTERM, as a service manager does, and returns the exit code. */
  public int stop() throws InterruptedException {
    assertTrue(process.toHandle().destroy(), "SIGTERM not sent");
    return awaitExit();
  }

  /** Waits up to 60 s for the JVM to end and returns its exit code. */
  public int awaitExit() throws InterruptedException {
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running; the output:\n" + output());
    reader.join(10_000);
    return process.exitValue();
  }

  /** Everything printed so far, standard error included. */
  public String output() {
    synchronized (lines) {
      return String.join("\n", lines) + "\n";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /**
   * Runs {@code sql} (one number) until it gives {@code expected}, for up to 30 s: events spooled
   * by a server are loaded in the background. Returns the last value.
   */
  public static long awaitCount(DataSource dataSource, String sql, long expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long n = -1;
    while (System.nanoTime() < deadline) {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        n = rs.getLong(1);
        if (n == expected) {
          return n;
        }
      } catch (SQLException e) {
        // The table appears with the first load.
      }
      Thread.sleep(100);
    }
    return n;
  }
}
