package io.segmentredshift.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuiteOptionsTest {
  @Test
  void theFullSuiteLoadsAMillionEventsAndRunsEveryPartAt64Connections() {
    SuiteOptions o = SuiteOptions.parse();
    assertEquals(SuiteOptions.ALL_PARTS, o.parts());
    assertEquals(1_000_000, o.loadEvents());
    assertEquals(200_000, o.s3Events());
    assertEquals(1_000_000, o.e2eEvents());
    assertEquals(List.of(64), o.connections());
    assertEquals(3, o.ingestRuns());
    assertEquals(Path.of("benchmarks/results"), o.results());
  }

  @Test
  void quickWritesUnderResultsQuickAndLoadsTheSameEventsThroughEveryLoader() {
    SuiteOptions o = SuiteOptions.parse("--quick", "--load-events", "30000");
    assertTrue(o.quick());
    assertEquals(30_000, o.s3Events());
    assertEquals(Path.of("benchmarks/results/quick"), o.results());
  }

  @Test
  void partsRunInTheSuitesOrderWhateverTheOrderGiven() {
    assertEquals(List.of("load", "jmh"), SuiteOptions.parse("--parts", "jmh,load").parts());
  }

  @Test
  void rejectsAnUnknownPartAndEndToEndEventsThatAreNotWholeBatches() {
    assertThrows(IllegalArgumentException.class, () -> SuiteOptions.parse("--parts", "x"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SuiteOptions.parse("--e2e-events", "150"));
    assertEquals("--e2e-events is not a multiple of 100: 150", e.getMessage());
  }
}
