package io.segmentredshift.benchmarks.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the benchmark starts to run the code under test in a process of its own (the same {@code
 * java} and {@code java.class.path}), so that its heap, resident memory, CPU time and profile are
 * its own. It talks by lines: everything the child prints goes to a log file, and lines starting
 * with {@link #REPLY} are answers the parent waits for with {@link #await}; the parent may send
 * commands on the child's standard input with {@link #send}.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start("load-pgcopy", List.of("-Xmx2g"), LoadBench.class, args, log)) {
 *   String json = child.await("result", Duration.ofHours(1));
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {
  /** The prefix of a line the parent reads: {@code "@@ <kind> <payload>"}. */
  public static final String REPLY = "@@ ";

  // Queued when the child's output ends, so that a waiting parent does not wait for nothing.
  private static final String EOF = "\u0000eof";

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Thread reader;

  private ChildJvm(String name, Process process, Path log) throws IOException {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Files.createDirectories(log.toAbsolutePath().getParent());
    OutputStream file = Files.newOutputStream(log);
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  PrintStream logged = new PrintStream(file, true, StandardCharsets.UTF_8)) {
                String line;
                while ((line = out.readLine()) != null) {
                  logged.println(line);
                  if (line.startsWith(REPLY)) {
                    replies.add(line.substring(REPLY.length()));
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } finally {
                replies.add(EOF);
              }
            },
            name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code mainClass} with {@code args} in a new JVM.
   *
   * @param name a short name for messages and the reader thread
   * @param jvmOptions options such as {@code -Xmx256m}
   * @param log where the child's standard output and error go
   */
  public static ChildJvm start(
      String name, List<String> jvmOptions, Class<?> mainClass, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ChildJvm(name, process, log);
  }

  /** The child's process id, for {@link ProcessStats}. */
  public long pid() {
    return process.pid();
  }

  /** Sends one line to the child's standard input. */
  public void send(String line) throws IOException {
    stdin.write(line);
    stdin.write('\n');
    stdin.flush();
  }

  /**
   * Waits for the next reply line and returns its payload, checking that it is of {@code kind}.
   *
   * @throws IllegalStateException if the child ends first, answers {@code error}, or takes longer
   *     than {@code timeout}
   */
  public String await(String kind, Duration timeout) throws InterruptedException {
    String line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new IllegalStateException(name + ": no '" + kind + "' after " + timeout);
    }
    if (line.equals(EOF)) {
      replies.add(EOF);
      throw new IllegalStateException(
          name + " ended (exit " + exitValueOr(-1) + ") before '" + kind + "'; see its log");
    }
    int space = line.indexOf(' ');
    String got = space < 0 ? line : line.substring(0, space);
    String payload = space < 0 ? "" : line.substring(space + 1);
    if (!got.equals(kind)) {
      throw new IllegalStateException(name + ": expected '" + kind + "', got: " + line);
    }
    return payload;
  }

  /** Waits for the child to end and returns its exit status. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " still running after " + timeout);
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  private int exitValueOr(int otherwise) {
    try {
      process.waitFor(2, TimeUnit.SECONDS);
      return process.exitValue();
    } catch (IllegalThreadStateException e) {
      return otherwise;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return otherwise;
    }
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * For the child's side: prints a reply line ({@code "@@ kind payload"}) and flushes, so that the
   * parent sees it at once.
   */
  public static void reply(String kind, String payload) {
    synchronized (System.out) {
      System.out.println(REPLY + kind + (payload.isEmpty() ? "" : " " + payload));
      System.out.flush();
    }
  }
}
