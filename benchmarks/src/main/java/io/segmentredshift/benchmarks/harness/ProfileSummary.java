package io.segmentredshift.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a process spent its time, from a JFR recording ({@code -XX:StartFlightRecording}): the
 * {@code jdk.ExecutionSample} events (a thread running Java code, sampled every 10 or 20 ms)
 * counted by thread, by the frame on top of the stack (self time) and by the project's own methods
 * anywhere on the stack (inclusive time), and the {@code jdk.NativeMethodSample} events (a thread
 * in native code: waiting in {@code epoll}, {@code fsync}, a socket read) by their top frame. The
 * result is Markdown for the notes of a results file.
 *
 * <pre>{@code
 * String markdown = ProfileSummary.summarize(Path.of("server.jfr"), null, null, 12);
 * }</pre>
 *
 * As a main: {@code ProfileSummary FILE.jfr [TOP]} prints the summary of a recording.
 */
public final class ProfileSummary {
  private static final String EXECUTION = "jdk.ExecutionSample";
  private static final String NATIVE = "jdk.NativeMethodSample";
  private static final String OWN_PACKAGE = "io.segmentredshift.";

  private ProfileSummary() {}

  /** Prints the summary of the recording named by the first argument. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ProfileSummary FILE.jfr [TOP]");
      System.exit(2);
      return;
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    System.out.println(summarize(Path.of(args[0]), null, null, top));
  }

  /** Counts by name, in the order of the largest count. */
  static final class Counts {
    private final Map<String, Integer> counts = new HashMap<>();
    private int total;

    void add(String key) {
      counts.merge(key, 1, Integer::sum);
    }

    void addSample() {
      total++;
    }

    int total() {
      return total;
    }

    List<Map.Entry<String, Integer>> top(int n) {
      List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
      entries.sort(
          Map.Entry.<String, Integer>comparingByValue()
              .reversed()
              .thenComparing(Map.Entry.comparingByKey()));
      return entries.subList(0, Math.min(n, entries.size()));
    }
  }

  /**
   * The summary of a recording as Markdown.
   *
   * @param from null, or the first moment of the window to count (samples before it are skipped,
   *     such as the start-up and warm-up)
   * @param to null, or the end of the window
   * @param top how many lines each table shows
   */
  public static String summarize(Path jfr, Instant from, Instant to, int top) throws IOException {
    Counts threads = new Counts();
    Counts self = new Counts();
    Counts own = new Counts();
    Counts nativeFrames = new Counts();
    for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
      String type = event.getEventType().getName();
      boolean execution = type.equals(EXECUTION);
      if (!execution && !type.equals(NATIVE)) {
        continue;
      }
      Instant at = event.getStartTime();
      if ((from != null && at.isBefore(from)) || (to != null && at.isAfter(to))) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
      if (!execution) {
        nativeFrames.addSample();
        nativeFrames.add(
            threadGroup(event.getThread("sampledThread"))
                + ": "
                + (frames.isEmpty() ? "(no stack)" : frame(frames.get(0))));
        continue;
      }
      threads.addSample();
      self.addSample();
      own.addSample();
      threads.add(threadGroup(event.getThread("sampledThread")));
      self.add(frames.isEmpty() ? "(no stack)" : frame(frames.get(0)));
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String name = method(f);
        if (name.startsWith(OWN_PACKAGE) && seen.add(name)) {
          own.add(name);
        }
      }
    }
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "%,d execution samples (`%s`: threads running Java code), %,d native samples (`%s`:"
                + " threads in native code, such as waiting for I/O).%n%n",
            threads.total(),
            EXECUTION,
            nativeFrames.total(),
            NATIVE));
    table(md, "thread (numbers folded to `*`)", threads, top);
    table(md, "top frame (self time)", self, top);
    table(md, "project method anywhere on the stack (inclusive time)", own, top);
    table(md, "native: thread and top frame", nativeFrames, Math.min(top, 6));
    return md.toString();
  }

  private static void table(StringBuilder md, String what, Counts counts, int top) {
    if (counts.total() == 0) {
      return;
    }
    md.append("| ").append(what).append(" | samples | share |\n|---|---:|---:|\n");
    for (Map.Entry<String, Integer> e : counts.top(top)) {
      md.append("| `")
          .append(e.getKey().replace("|", "\\|").replace("`", "'"))
          .append("` | ")
          .append(String.format(Locale.ROOT, "%,d", e.getValue()))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * e.getValue() / counts.total()))
          .append(" |\n");
    }
    md.append('\n');
  }

  /** A thread's name with runs of digits folded, so a pool's threads count together. */
  static String threadGroup(RecordedThread thread) {
    if (thread == null) {
      return "(unknown)";
    }
    String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
    return name == null ? "(unknown)" : name.replaceAll("[0-9]+", "*");
  }

  private static String frame(RecordedFrame f) {
    return method(f) + (f.isJavaFrame() ? "" : " (native)");
  }

  private static String method(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    if (m == null) {
      return "(unknown)";
    }
    String type = m.getType() == null ? "?" : m.getType().getName();
    return type + "." + m.getName();
  }
}
