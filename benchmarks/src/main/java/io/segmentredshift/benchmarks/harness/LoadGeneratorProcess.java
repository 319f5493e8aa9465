package io.segmentredshift.benchmarks.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link LoadGenerator} in a separate JVM (the same {@code java} binary, a classpath of just
 * this module's classes) and samples the servers' processes while it measures, so that the server
 * figures cover exactly the measured window.
 *
 * <pre>{@code
 * LoadRun run = LoadGeneratorProcess.run(
 *     LoadOptions.of(server.uri(), bodies).withConnections(64, 2), List.of(), ProcessHandle.current().pid());
 * double serverCores = run.servers().get(0).cpuSeconds() / run.load().seconds();
 * }</pre>
 */
public final class LoadGeneratorProcess {
  /**
   * JVM options of the generator unless others are given: a serial collector, because a parallel
   * one would start a GC thread per core and compete with the server for the few cores there are;
   * the generator allocates almost nothing per request.
   */
  public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC");

  private static final long STARTUP_ALLOWANCE_SECONDS = 120;

  private LoadGeneratorProcess() {}

  /**
   * What a server process did in the measured window.
   *
   * @param pid the process id
   * @param cpuSeconds user + system CPU seconds the process used in the window
   * @param rssBytes its resident set size at the end of the window
   * @param peakRssBytes its largest resident set size since it started
   */
  public record ServerUsage(long pid, double cpuSeconds, long rssBytes, long peakRssBytes) {}

  /**
   * One run: the generator's result and each watched process's usage in the same window.
   *
   * @param load what the generator measured
   * @param servers the watched processes, in the order given
   */
  public record LoadRun(LoadResult load, List<ServerUsage> servers) {
    /** Copies the list. */
    public LoadRun {
      servers = List.copyOf(servers);
    }
  }

  /**
   * Starts the generator process, waits for it and returns its result.
   *
   * @param jvmOptions options for the generator's JVM, or an empty list for {@link
   *     #DEFAULT_JVM_OPTIONS}
   * @param watchedPids processes to sample at the start and end of the measured window, such as
   *     {@code ProcessHandle.current().pid()} for a server in this JVM
   * @throws IllegalStateException if the generator fails or prints no result
   */
  public static LoadRun run(LoadOptions options, List<String> jvmOptions, long... watchedPids)
      throws IOException, InterruptedException {
    return run(options, jvmOptions, marker -> {}, watchedPids);
  }

  /**
   * Starts the generator process, waits for it and returns its result, telling {@code markers} when
   * the measured window opens ({@link LoadGenerator#MEASURE_MARKER}) and closes ({@link
   * LoadGenerator#END_MARKER}), right after the watched processes were sampled: for a caller that
   * watches the window itself, such as a profile of the server limited to it.
   */
  public static LoadRun run(
      LoadOptions options, List<String> jvmOptions, Consumer<String> markers, long... watchedPids)
      throws IOException, InterruptedException {
    if (markers == null) {
      throw new NullPointerException("markers == null");
    }
    if (options == null) {
      throw new NullPointerException("options == null");
    }
    if (jvmOptions == null) {
      throw new NullPointerException("jvmOptions == null");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions.isEmpty() ? DEFAULT_JVM_OPTIONS : jvmOptions);
    command.add("-cp");
    command.add(ownClasspath());
    command.add(LoadGenerator.class.getName());
    command.addAll(options.toArguments());
    Process process = new ProcessBuilder(command).start();
    StringBuilder errors = new StringBuilder();
    Thread errorReader = drain(process.getErrorStream(), errors);

    List<ProcessStats.Sample> atStart = new ArrayList<>();
    List<ProcessStats.Sample> atEnd = new ArrayList<>();
    String json = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.equals(LoadGenerator.MEASURE_MARKER)) {
          sample(watchedPids, atStart);
          markers.accept(line);
        } else if (line.equals(LoadGenerator.END_MARKER)) {
          sample(watchedPids, atEnd);
          markers.accept(line);
        } else if (line.startsWith("{")) {
          json = line;
        }
      }
    }
    long limit =
        options.warmup().toSeconds() + options.duration().toSeconds() + STARTUP_ALLOWANCE_SECONDS;
    if (!process.waitFor(limit, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("load generator still running after " + limit + " s");
    }
    errorReader.join();
    if (process.exitValue() != 0 || json == null || atEnd.size() != watchedPids.length) {
      throw new IllegalStateException(
          "load generator failed (exit " + process.exitValue() + "): " + tail(errors));
    }
    List<ServerUsage> servers = new ArrayList<>();
    for (int i = 0; i < watchedPids.length; i++) {
      ProcessStats.Sample end = atEnd.get(i);
      servers.add(
          new ServerUsage(
              end.pid(), end.cpuSecondsSince(atStart.get(i)), end.rssBytes(), end.peakRssBytes()));
    }
    return new LoadRun(LoadResult.parse(json), servers);
  }

  /** The directory or jar holding this module's classes, all the generator needs. */
  static String ownClasspath() {
    try {
      return Path.of(
              LoadGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the benchmark classes", e);
    }
  }

  private static void sample(long[] pids, List<ProcessStats.Sample> into) {
    for (long pid : pids) {
      into.add(ProcessStats.sample(pid));
    }
  }

  private static Thread drain(InputStream stream, StringBuilder into) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  synchronized (into) {
                    into.append(line).append('\n');
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "load-generator-stderr");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String tail(StringBuilder errors) {
    synchronized (errors) {
      int from = Math.max(0, errors.length() - 2000);
      return errors.substring(from).strip();
    }
  }
}
