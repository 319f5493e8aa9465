package io.segmentredshift.benchmarks.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of any process on this Linux machine, read from {@code /proc}: of a
 * load generator or server process the benchmark started, or of this JVM.
 *
 * <pre>{@code
 * ProcessStats.Sample before = ProcessStats.sample(pid);
 * ... run ...
 * double cores = ProcessStats.sample(pid).cpuSecondsSince(before) / seconds;
 * }</pre>
 */
public final class ProcessStats {
  private static volatile long clockTicksPerSecond;

  private ProcessStats() {}

  /**
   * One reading of a process.
   *
   * @param pid the process id
   * @param cpuNanos user + system CPU time since the process started, all threads
   * @param rssBytes resident set size now ({@code VmRSS})
   * @param peakRssBytes the largest resident set size so far ({@code VmHWM})
   */
  public record Sample(long pid, long cpuNanos, long rssBytes, long peakRssBytes) {
    /** CPU seconds used between an earlier sample of the same process and this one. */
    public double cpuSecondsSince(Sample earlier) {
      if (earlier.pid != pid) {
        throw new IllegalArgumentException("samples of different processes");
      }
      return (cpuNanos - earlier.cpuNanos) / 1e9;
    }
  }

  /** Reads the process's CPU time and memory now. */
  public static Sample sample(long pid) {
    String status = read(Path.of("/proc", Long.toString(pid), "status"));
    return new Sample(
        pid,
        cpuNanos(pid),
        statusKilobytes(status, "VmRSS") * 1024,
        statusKilobytes(status, "VmHWM") * 1024);
  }

  /** Reads this JVM's CPU time and memory now. */
  public static Sample self() {
    return sample(ProcessHandle.current().pid());
  }

  /** User + system CPU time of the process since it started, in nanoseconds. */
  public static long cpuNanos(long pid) {
    long ticks = statTicks(read(Path.of("/proc", Long.toString(pid), "stat")));
    return ticks * 1_000_000_000L / clockTicksPerSecond();
  }

  /** The sum of utime and stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. */
  static long statTicks(String stat) {
    // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
    String[] fields = statFields(stat, 13);
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * The fields of a {@code /proc/<pid>/stat} line from field 3 (state) on, at least {@code atLeast}
   * of them.
   */
  static String[] statFields(String stat, int atLeast) {
    // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line");
    }
    String[] fields = stat.substring(close + 1).trim().split("\\s+");
    if (fields.length < atLeast) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line");
    }
    return fields;
  }

  /**
   * A {@code kB} value of a {@code /proc/<pid>/status} text, such as {@code VmHWM}; 0 if absent.
   */
  static long statusKilobytes(String status, String key) {
    for (String line : status.split("\n")) {
      if (line.startsWith(key + ":")) {
        String value = line.substring(key.length() + 1).trim();
        int space = value.indexOf(' ');
        return Long.parseLong(space < 0 ? value : value.substring(0, space));
      }
    }
    return 0;
  }

  static long clockTicksPerSecond() {
    long ticks = clockTicksPerSecond;
    if (ticks == 0) {
      ticks = askClockTicks();
      clockTicksPerSecond = ticks;
    }
    return ticks;
  }

  // USER_HZ is 100 on every mainstream Linux build; getconf confirms it where it is installed.
  private static long askClockTicks() {
    try {
      Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (process.waitFor() == 0) {
        return Long.parseLong(out.trim());
      }
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
