package io.segmentredshift.benchmarks.jmh;

import io.segmentredshift.benchmarks.harness.LatencyHistogram;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of recording one latency in the load generator's histogram, which it pays once per
 * request (it must stay in the nanoseconds so the generator measures the server, not itself), and
 * of reading a percentile, which it pays once per run. The smallest JMH benchmark of this module,
 * proving that the annotation processor and the runner work; see benchmarks/README.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LatencyHistogramBenchmark {
  private final LatencyHistogram histogram = new LatencyHistogram();
  private final long[] latencies = new long[4096];
  private int next;

  /** Latencies of 20 µs to a few ms, log-normally spread, and a histogram holding a million. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = (long) (200_000 * Math.exp(random.nextGaussian()));
    }
    for (int i = 0; i < 1_000_000; i++) {
      histogram.record(latencies[i & (latencies.length - 1)]);
    }
  }

  /** Records one latency. */
  @Benchmark
  public void record() {
    histogram.record(latencies[next++ & (latencies.length - 1)]);
  }

  /** Reads the 99th percentile of a million recorded latencies. */
  @Benchmark
  public long p99() {
    return histogram.valueAtPercentile(99);
  }
}
