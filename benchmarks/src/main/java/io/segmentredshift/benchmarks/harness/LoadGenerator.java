package io.segmentredshift.benchmarks.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A closed-loop HTTP/1.1 load generator over keep-alive connections, the Java stand-in for {@code
 * wrk}: each connection sends a request, waits for the whole response, records the latency and
 * sends the next. It runs for a warm-up, then measures for a fixed time (or a fixed number of
 * requests) and reports requests per second, non-2xx responses and socket errors apart, and latency
 * percentiles.
 *
 * <p>Benchmarks run it as a separate process ({@link LoadGeneratorProcess}), so that its garbage,
 * JIT and threads are not the server's. It needs only the JDK and the classes of this package, so
 * that process's classpath is one directory or jar. Plain NIO keeps it small: one selector per
 * thread, no allocation per request beyond a view of the body.
 *
 * <p>As a main it prints, on standard output, the line {@value #MEASURE_MARKER} when the measured
 * window opens, {@value #END_MARKER} when it closes, and last the result as one line of JSON
 * ({@link LoadResult#toJson()}). Arguments: see {@link LoadOptions#parse}. Example:
 *
 * <pre>
 * java -cp benchmarks/target/classes io.segmentredshift.benchmarks.harness.LoadGenerator \
 *     --url http://127.0.0.1:8080/ --bodies events.ndjson --header "Content-Type: application/json" \
 *     --connections 64 --threads 2 --warmup 5s --duration 10s
 * </pre>
 */
public final class LoadGenerator {
  /** The line printed when the measured window opens. */
  public static final String MEASURE_MARKER = "# measure";

  /** The line printed when the measured window has closed. */
  public static final String END_MARKER = "# end";

  private static final long RECONNECT_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private LoadGenerator() {}

  /** Runs the generator with command-line arguments and prints the markers and the result. */
  public static void main(String[] args) throws IOException, InterruptedException {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("LoadGenerator: " + e.getMessage());
      System.exit(2);
      return;
    }
    LoadResult result =
        run(
            options,
            marker -> {
              System.out.println(marker);
              System.out.flush();
            });
    System.out.println(result.toJson());
    System.out.flush();
  }

  /**
   * Runs the load in this JVM and returns what it measured.
   *
   * @param markers receives {@link #MEASURE_MARKER} and {@link #END_MARKER} as the measured window
   *     opens and closes, for callers that sample the server in the same window
   */
  public static LoadResult run(LoadOptions options, Consumer<String> markers)
      throws IOException, InterruptedException {
    if (options == null) {
      throw new NullPointerException("options == null");
    }
    if (markers == null) {
      throw new NullPointerException("markers == null");
    }
    RequestSource source = RequestSource.open(options);
    long start = System.nanoTime();
    long measureStart = start + options.warmup().toNanos();
    long measureEnd = measureStart + options.duration().toNanos();
    Window window =
        new Window(
            measureStart,
            measureEnd,
            options.maxRequests(),
            new AtomicLong(),
            options.timeout().toNanos());
    InetSocketAddress address =
        new InetSocketAddress(
            options.url().getHost(), options.url().getPort() < 0 ? 80 : options.url().getPort());
    boolean head = "HEAD".equalsIgnoreCase(options.method());

    List<Worker> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < options.threads(); t++) {
      int share =
          options.connections() / options.threads()
              + (t < options.connections() % options.threads() ? 1 : 0);
      Worker worker = new Worker(source, window, address, share, head);
      workers.add(worker);
      Thread thread = new Thread(worker, "load-" + t);
      threads.add(thread);
      thread.start();
    }

    long wait = measureStart - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
    long self = ProcessHandle.current().pid();
    long cpuStart = ProcessStats.cpuNanos(self);
    markers.accept(MEASURE_MARKER);
    for (Thread thread : threads) {
      thread.join();
    }
    long cpuEnd = ProcessStats.cpuNanos(self);
    markers.accept(END_MARKER);

    LatencyHistogram latencies = new LatencyHistogram();
    long ok = 0;
    long non2xx = 0;
    long errors = 0;
    long lastCompletion = measureStart;
    for (Worker worker : workers) {
      if (worker.failure != null) {
        throw new IllegalStateException("load generator thread failed", worker.failure);
      }
      latencies.add(worker.latencies);
      ok += worker.ok;
      non2xx += worker.non2xx;
      errors += worker.errors;
      lastCompletion = Math.max(lastCompletion, worker.lastCompletion);
    }
    double seconds =
        options.maxRequests() > 0
            ? (lastCompletion - measureStart) / 1e9
            : options.duration().toNanos() / 1e9;
    long requests = ok + non2xx;
    return new LoadResult(
        requests,
        seconds,
        seconds > 0 ? requests / seconds : 0,
        non2xx,
        errors,
        latencies.valueAtPercentile(50) / 1e6,
        latencies.valueAtPercentile(90) / 1e6,
        latencies.valueAtPercentile(99) / 1e6,
        latencies.max() / 1e6,
        options.connections(),
        (cpuEnd - cpuStart) / 1e9);
  }

  /** The measured window, shared by all workers; the times are System.nanoTime() values. */
  private record Window(
      long start, long end, long maxRequests, AtomicLong claimed, long timeoutNanos) {
    boolean contains(long now) {
      return now >= start && now < end;
    }

    boolean exhausted() {
      return maxRequests > 0 && claimed.get() >= maxRequests;
    }
  }

  /** One connection and its request in flight. */
  private static final class Connection {
    final ByteBuffer head;
    final ByteBuffer[] out = new ByteBuffer[2];
    final HttpResponseParser parser;
    SocketChannel channel;
    SelectionKey key;
    boolean inFlight;
    boolean measured;
    boolean writing;
    long startedAt;
    long retryAt;

    Connection(ByteBuffer head, boolean headRequest) {
      this.head = head;
      this.parser = new HttpResponseParser(headRequest);
      this.out[0] = head;
    }
  }

  /** One thread: a selector over its share of the connections, and its own counters. */
  private static final class Worker implements Runnable {
    final RequestSource source;
    final Window window;
    final InetSocketAddress address;
    final List<Connection> connections = new ArrayList<>();
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    final LatencyHistogram latencies = new LatencyHistogram();
    long ok;
    long non2xx;
    long errors;
    long lastCompletion;
    Throwable failure;
    private Selector selector;

    Worker(
        RequestSource source,
        Window window,
        InetSocketAddress address,
        int connectionCount,
        boolean headRequest) {
      this.source = source;
      this.window = window;
      this.address = address;
      for (int i = 0; i < connectionCount; i++) {
        connections.add(new Connection(source.newHeadBuffer(), headRequest));
      }
    }

    @Override
    public void run() {
      try (Selector s = Selector.open()) {
        selector = s;
        long now = System.nanoTime();
        for (Connection c : connections) {
          connect(c, now);
        }
        loop();
      } catch (IOException | RuntimeException e) {
        failure = e;
      } finally {
        for (Connection c : connections) {
          closeQuietly(c);
        }
      }
    }

    private void loop() throws IOException {
      long nextHousekeeping = 0;
      while (true) {
        long now = System.nanoTime();
        if (now >= window.end || (window.exhausted() && noneInFlight())) {
          return;
        }
        long timeoutMillis = Math.max(1, Math.min(50, (window.end - now) / 1_000_000));
        selector.select(timeoutMillis);
        now = System.nanoTime();
        for (SelectionKey key : selector.selectedKeys()) {
          Connection c = (Connection) key.attachment();
          try {
            if (key.isValid() && key.isWritable()) {
              write(c);
            }
            if (key.isValid() && key.isReadable()) {
              read(c, now);
            }
          } catch (IOException e) {
            fail(c, now);
          }
        }
        selector.selectedKeys().clear();
        if (now >= nextHousekeeping) {
          nextHousekeeping = now + HOUSEKEEPING_NANOS;
          for (Connection c : connections) {
            if (c.inFlight && now - c.startedAt > window.timeoutNanos) {
              fail(c, now);
            } else if (c.channel == null && c.retryAt != 0 && now >= c.retryAt) {
              connect(c, now);
            }
          }
        }
      }
    }

    private boolean noneInFlight() {
      for (Connection c : connections) {
        if (c.inFlight) {
          return false;
        }
      }
      return true;
    }

    private void connect(Connection c, long now) {
      c.retryAt = 0;
      SocketChannel channel = null;
      try {
        channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(address);
        channel.configureBlocking(false);
        c.key = channel.register(selector, SelectionKey.OP_READ, c);
        c.channel = channel;
        c.writing = false;
        sendNext(c, System.nanoTime());
      } catch (IOException e) {
        if (window.contains(now)) {
          errors++;
        }
        if (c.channel == null && channel != null) {
          try {
            channel.close();
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        closeQuietly(c);
        // Try again later rather than at once: a server that is down would otherwise be hammered.
        c.retryAt = now + RECONNECT_DELAY_NANOS;
      }
    }

    private void sendNext(Connection c, long now) throws IOException {
      if (now >= window.end) {
        return;
      }
      boolean measured = now >= window.start;
      if (measured
          && window.maxRequests > 0
          && window.claimed.getAndIncrement() >= window.maxRequests) {
        return;
      }
      int index = source.nextIndex();
      source.head(index, c.head);
      c.out[1] = source.body(index);
      c.parser.reset();
      c.startedAt = now;
      c.measured = measured;
      c.inFlight = true;
      write(c);
    }

    private void write(Connection c) throws IOException {
      c.channel.write(c.out);
      boolean pending = c.out[0].hasRemaining() || c.out[1].hasRemaining();
      if (pending != c.writing) {
        c.writing = pending;
        c.key.interestOps(SelectionKey.OP_READ | (pending ? SelectionKey.OP_WRITE : 0));
      }
    }

    private void read(Connection c, long now) throws IOException {
      readBuffer.clear();
      int n = c.channel.read(readBuffer);
      if (n < 0) {
        if (c.inFlight && c.parser.endOfStream()) {
          complete(c, now);
        } else if (c.inFlight) {
          fail(c, now);
        } else {
          // The server closed an idle keep-alive connection: open a new one, no error.
          closeQuietly(c);
          connect(c, now);
        }
        return;
      }
      readBuffer.flip();
      if (!c.inFlight) {
        if (readBuffer.hasRemaining()) {
          throw new ProtocolException("data without a request");
        }
        return;
      }
      if (c.parser.feed(readBuffer)) {
        if (readBuffer.hasRemaining()) {
          throw new ProtocolException("data after the response");
        }
        complete(c, now);
      }
    }

    private void complete(Connection c, long now) throws IOException {
      c.inFlight = false;
      if (c.measured && now < window.end) {
        latencies.record(now - c.startedAt);
        int status = c.parser.status();
        if (status >= 200 && status < 300) {
          ok++;
        } else {
          non2xx++;
        }
        lastCompletion = Math.max(lastCompletion, now);
      }
      if (c.parser.closeAfter()) {
        closeQuietly(c);
        connect(c, now);
      } else {
        sendNext(c, now);
      }
    }

    private void fail(Connection c, long now) {
      if (window.contains(now)) {
        errors++;
      }
      c.inFlight = false;
      closeQuietly(c);
      connect(c, now);
    }

    private static void closeQuietly(Connection c) {
      c.inFlight = false;
      if (c.channel != null) {
        try {
          c.channel.close();
        } catch (IOException e) {
          // closing a broken connection; the error was counted where it happened
        }
        c.channel = null;
        c.key = null;
      }
    }
  }
}
