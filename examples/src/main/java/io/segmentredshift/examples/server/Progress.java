package io.segmentredshift.examples.server;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The backfill's progress: files done of the total, events, events per second and the time left
 * (estimated from the compressed bytes done). On a terminal it is one line redrawn in place, at
 * most four times a second; otherwise a plain line every {@code interval}, for logs.
 */
final class Progress {
  private static final long REDRAW_NANOS = 250_000_000L;
  private static final int BAR = 24;

  private final PrintStream out;
  private final boolean terminal;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final int totalFiles;
  private final long totalBytes;
  private final long start;
  private long lastShown;
  private int drawn;
  private int files;
  private long bytes;
  private long events;

  /**
   * @param out where to print
   * @param terminal whether {@code out} is a terminal
   * @param interval how often a line is printed when not on a terminal
   * @param nanoTime the clock ({@code System::nanoTime})
   * @param totalFiles the files to load
   * @param totalBytes their compressed size
   */
  Progress(
      PrintStream out,
      boolean terminal,
      Duration interval,
      LongSupplier nanoTime,
      int totalFiles,
      long totalBytes) {
    this.out = out;
    this.terminal = terminal;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.totalFiles = totalFiles;
    this.totalBytes = totalBytes;
    this.start = nanoTime.getAsLong();
    this.lastShown = start;
  }

  /** Counts loaded events, and shows progress when it is time. */
  void events(long n) {
    events += n;
    maybeShow();
  }

  /** Counts a file done, and shows progress when it is time. */
  void fileDone(long size) {
    files++;
    bytes += size;
    maybeShow();
  }

  /** Prints a line of its own (a warning), above the bar on a terminal. */
  void message(String line) {
    clear();
    out.println(line);
    if (terminal) {
      draw();
    }
    out.flush();
  }

  /** Removes the bar, before the summary. */
  void finish() {
    clear();
    out.flush();
  }

  /** The events counted so far. */
  long eventCount() {
    return events;
  }

  /** The time since the start. */
  Duration elapsed() {
    return Duration.ofNanos(nanoTime.getAsLong() - start);
  }

  private void maybeShow() {
    long now = nanoTime.getAsLong();
    if (now - lastShown < (terminal ? REDRAW_NANOS : intervalNanos)) {
      return;
    }
    lastShown = now;
    if (terminal) {
      draw();
    } else {
      out.println("progress: " + status(now));
    }
    out.flush();
  }

  private void draw() {
    String line = "\r" + bar() + " " + status(nanoTime.getAsLong());
    int length = line.length();
    // Blank out what is left of a longer previous line.
    out.print(line + " ".repeat(Math.max(0, drawn - length)));
    drawn = length;
  }

  private void clear() {
    if (terminal && drawn > 0) {
      out.print("\r" + " ".repeat(drawn) + "\r");
      drawn = 0;
    }
  }

  private String bar() {
    double done = fraction();
    int full = (int) Math.round(done * BAR);
    return "[" + "#".repeat(full) + "-".repeat(BAR - full) + "]";
  }

  private double fraction() {
    if (totalBytes > 0) {
      return Math.min(1.0, (double) bytes / totalBytes);
    }
    return totalFiles == 0 ? 1.0 : (double) files / totalFiles;
  }

  /** {@code 3/40 files, 120,000 events, 45,000 events/s, ETA 3m12s}. */
  String status(long now) {
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    StringBuilder b = new StringBuilder();
    b.append(files).append('/').append(totalFiles).append(" files, ");
    b.append(String.format(Locale.ROOT, "%,d", events)).append(" events, ");
    b.append(String.format(Locale.ROOT, "%,d", Math.round(events / seconds))).append(" events/s");
    double done = fraction();
    if (done > 0 && done < 1) {
      long left = Math.round(seconds * (1 - done) / done);
      b.append(", ETA ").append(Durations.format(Duration.ofSeconds(left)));
    }
    return b.toString();
  }
}
