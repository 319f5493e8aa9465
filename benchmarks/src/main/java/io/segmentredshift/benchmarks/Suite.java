package io.segmentredshift.benchmarks;

import io.segmentredshift.benchmarks.harness.ChildJvm;
import io.segmentredshift.testkit.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the parts of a {@link RunAll} run share: the options, the embedded PostgreSQL (durable), the
 * work directory and the child JVMs' logs.
 */
final class Suite {
  /**
   * The JFR options of a profiled child: the profile settings (Java samples every 10 ms), into
   * {@code file}, whose directory is made and whose earlier recording is deleted.
   */
  static List<String> jfrOptions(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    return List.of(
        "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + file,
        "-XX:FlightRecorderOptions=stackdepth=128");
  }

  final SuiteOptions options;
  final PostgresServer postgres;
  final Path work;
  final Path logs;
  private final long started = System.nanoTime();

  Suite(SuiteOptions options, PostgresServer postgres) throws IOException {
    this.options = options;
    this.postgres = postgres;
    this.work = options.work();
    this.logs = work.resolve("logs");
    Files.createDirectories(logs);
  }

  /** Starts a child JVM whose output goes to {@code logs/<name>.log}. */
  ChildJvm child(String name, List<String> jvmOptions, Class<?> main, List<String> args)
      throws IOException {
    List<String> options = new ArrayList<>(jvmOptions);
    options.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    options.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    return ChildJvm.start(name, options, main, args, logs.resolve(name + ".log"));
  }

  /** A new empty database on the suite's server. */
  String database(String hint) {
    return postgres.createDatabase(hint);
  }

  /** Prints a progress line with the time since the suite started. */
  void progress(String format, Object... args) {
    Duration d = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf(
        Locale.ROOT,
        "[%02d:%02d] %s%n",
        d.toMinutes(),
        d.toSecondsPart(),
        String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
