package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void aRatioToReachIsMetOnTheBoundAndMissedBelowIt() {
    Target on = Target.atLeast("load", "÷ ceiling", 0.6, 0.6, "×");
    Target below = Target.atLeast("load", "÷ ceiling", 0.15, 0.6, "×");
    assertTrue(on.met());
    assertEquals("met", on.verdict());
    assertFalse(below.met());
    assertEquals("missed", below.verdict());
    assertEquals("≥ 0.60×", below.bound());
    assertEquals("0.15×", below.measuredText());
    assertEquals(0.25, below.score(), 1e-9);
  }

  @Test
  void aLatencyToStayUnderIsMissedAboveTheBound() {
    Target p99 = Target.atMost("ingest", "p99", 39.1, 5, "ms");
    assertFalse(p99.met());
    assertEquals("≤ 5.00 ms", p99.bound());
    assertEquals("39.1 ms", p99.measuredText());
    assertEquals(5 / 39.1, p99.score(), 1e-9);
  }

  @Test
  void aFigureNotMeasuredIsNeitherMetNorMissed() {
    Target t = Target.atLeast("e2e", "÷ ceiling", Double.NaN, 0.5, "×");
    assertFalse(t.measuredInThisRun());
    assertFalse(t.met());
    assertEquals("not measured", t.verdict());
    assertEquals("not measured", t.measuredText());
  }

  @Test
  void theMedianIgnoresNaNAndAveragesTheMiddleTwo() {
    assertEquals(2.0, Stats.median(Arrays.asList(3.0, 1.0, 2.0, Double.NaN)));
    assertEquals(2.5, Stats.median(Arrays.asList(4.0, 1.0, 2.0, 3.0)));
    assertTrue(Double.isNaN(Stats.median(Arrays.asList(Double.NaN))));
  }
}
