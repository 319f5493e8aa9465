package io.segmentredshift.load;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spreads the CPU work of one batch (laying events out, coercing values) over a few threads while
 * the warehouse has nothing to do: chunk {@code i} of {@code n} is run by whichever thread claims
 * it first, the calling thread included, so the work is done even when no helper thread is free or
 * after {@link #close()} (then the caller runs every chunk itself). Helpers are daemon threads
 * named after the instance; an idle one ends after 30 seconds, and {@link #close()} ends them all.
 * Thread-safe: batches loading at once share the helpers.
 */
final class Chunks implements AutoCloseable {
  /** One chunk of work. */
  interface Task {
    void run(int chunk);
  }

  private final int parallelism;
  private final ThreadPoolExecutor helpers;

  /**
   * Chunks over {@code parallelism} threads, the caller's included (1: the caller runs them all).
   *
   * @param name prefixes the helper threads' names
   */
  Chunks(String name, int parallelism) {
    if (parallelism <= 0) {
      throw new IllegalArgumentException("parallelism <= 0: " + parallelism);
    }
    this.parallelism = parallelism;
    if (parallelism == 1) {
      this.helpers = null;
      return;
    }
    AtomicInteger count = new AtomicInteger();
    this.helpers =
        new ThreadPoolExecutor(
            parallelism - 1,
            parallelism - 1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, name + "-layout-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    helpers.allowCoreThreadTimeOut(true);
  }

  /** How many threads may run chunks at once, the caller's included. */
  int parallelism() {
    return parallelism;
  }

  /**
   * Runs {@code task} for chunks {@code 0..n-1} and returns when all have run. When chunks fail,
   * the exception of the first failed chunk is thrown here, as running them in order on the calling
   * thread would throw it.
   */
  void run(int n, Task task) {
    if (n <= 1 || helpers == null) {
      for (int i = 0; i < n; i++) {
        task.run(i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    Throwable[] failures = new Throwable[n];
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            try {
              task.run(i);
            } catch (RuntimeException | Error e) {
              failures[i] = e;
            } finally {
              done.countDown();
            }
          }
        };
    for (int h = 0; h < Math.min(n, parallelism) - 1; h++) {
      try {
        helpers.execute(worker);
      } catch (RejectedExecutionException e) {
        break; // closed: the caller runs what no helper claims
      }
    }
    worker.run();
    boolean interrupted = false;
    while (true) {
      try {
        // Chunks a helper claimed are being run: wait for them, their results are needed.
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    // The latch orders the helpers' writes before these reads.
    for (Throwable f : failures) {
      if (f instanceof Error e) {
        throw e;
      }
      if (f != null) {
        throw (RuntimeException) f;
      }
    }
  }

  /** Ends the helper threads once idle; chunks run afterwards run on the calling thread. */
  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdown();
    }
  }
}
