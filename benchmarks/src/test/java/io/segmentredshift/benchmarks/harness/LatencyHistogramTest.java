package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void percentilesOfUniformValuesAreWithinOnePercent() {
    LatencyHistogram h = new LatencyHistogram();
    for (long v = 1; v <= 100_000; v++) {
      h.record(v * 1_000); // 1 µs to 100 ms
    }
    assertEquals(100_000, h.count());
    assertWithin(50_000_000, h.valueAtPercentile(50), 0.01);
    assertWithin(90_000_000, h.valueAtPercentile(90), 0.01);
    assertWithin(99_000_000, h.valueAtPercentile(99), 0.01);
    assertEquals(100_000_000, h.valueAtPercentile(100));
    assertEquals(100_000_000, h.max());
    assertEquals(1_000, h.min());
    assertEquals(50_000_500.0, h.mean(), 1e-3);
  }

  @Test
  void smallValuesAreCountedExactly() {
    LatencyHistogram h = new LatencyHistogram();
    for (long v : new long[] {3, 1, 2, 2, 200}) {
      h.record(v);
    }
    assertEquals(1, h.valueAtPercentile(0));
    assertEquals(1, h.valueAtPercentile(20));
    assertEquals(2, h.valueAtPercentile(50));
    assertEquals(3, h.valueAtPercentile(80));
    assertEquals(200, h.valueAtPercentile(81));
  }

  @Test
  void aPercentileMatchesSortingWithinTheBucketWidth() {
    SplittableRandom random = new SplittableRandom(7);
    long[] values = new long[20_001];
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < values.length; i++) {
      // Log-normal-ish latencies, 50 µs to some seconds.
      values[i] = (long) (50_000 * Math.exp(random.nextGaussian() * 2));
      h.record(values[i]);
    }
    Arrays.sort(values);
    for (double p : new double[] {10, 50, 90, 99, 99.9}) {
      long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
      assertWithin(exact, h.valueAtPercentile(p), 1.0 / 128);
    }
  }

  @Test
  void addingHistogramsEqualsRecordingIntoOne() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    LatencyHistogram all = new LatencyHistogram();
    for (long v = 0; v < 10_000; v++) {
      long value = v * v * 37;
      (v % 3 == 0 ? a : b).record(value);
      all.record(value);
    }
    a.add(b);
    assertEquals(all.count(), a.count());
    assertEquals(all.max(), a.max());
    assertEquals(all.min(), a.min());
    for (double p : new double[] {1, 25, 50, 75, 99, 100}) {
      assertEquals(all.valueAtPercentile(p), a.valueAtPercentile(p));
    }
  }

  @Test
  void anEmptyHistogramReportsZeros() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.valueAtPercentile(99));
    assertEquals(0, h.max());
    assertEquals(0, h.min());
    assertEquals(0.0, h.mean());
    h.record(5);
    h.reset();
    assertEquals(0, h.count());
    assertEquals(0, h.valueAtPercentile(50));
  }

  @Test
  void rejectsNegativeValuesAndPercentilesOutOfRange() {
    LatencyHistogram h = new LatencyHistogram();
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> h.record(-1));
    assertEquals("value < 0: -1", negative.getMessage());
    assertThrows(IllegalArgumentException.class, () -> h.valueAtPercentile(100.5));
    assertThrows(IllegalArgumentException.class, () -> h.valueAtPercentile(Double.NaN));
  }

  @Property
  void everyValueLiesInItsBucketAndBucketsAreNarrow(@ForAll @LongRange(min = 0) long value) {
    int index = LatencyHistogram.index(value);
    long low = LatencyHistogram.lowestInBucket(index);
    long high = LatencyHistogram.highestInBucket(index);
    assertTrue(low <= value && value <= high, low + " <= " + value + " <= " + high);
    assertTrue(high - low <= Math.max(0, low / 128), "bucket [" + low + ", " + high + "]");
  }

  @Property
  void bucketsFollowEachOtherWithoutGaps(@ForAll @IntRange(min = 0, max = 7_294) int index) {
    assertEquals(
        LatencyHistogram.highestInBucket(index) + 1, LatencyHistogram.lowestInBucket(index + 1));
  }

  @Test
  void theLargestValueHasTheLastBucket() {
    assertEquals(7_295, LatencyHistogram.index(Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, LatencyHistogram.highestInBucket(7_295));
  }

  private static void assertWithin(long expected, long actual, double relative) {
    assertTrue(
        Math.abs(actual - expected) <= expected * relative,
        "expected " + expected + " within " + relative + " but was " + actual);
  }
}
