package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LoadResultTest {
  @Test
  void printsOneLineOfJsonWithEveryField() {
    LoadResult result = new LoadResult(600_000, 10, 60_000, 3, 1, 0.5, 1.25, 2.4, 31.5, 64, 7.25);
    assertEquals(
        "{\"requests\":600000,\"seconds\":10.000,\"requestsPerSecond\":60000.0,\"non2xx\":3,"
            + "\"errors\":1,\"p50Ms\":0.500,\"p90Ms\":1.250,\"p99Ms\":2.400,\"maxMs\":31.500,"
            + "\"connections\":64,\"cpuSeconds\":7.250}",
        result.toJson());
  }

  @Property
  void parsesWhatItPrints(
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long requests,
      @ForAll @LongRange(min = 0, max = 1_000_000) long errors,
      @ForAll @IntRange(min = 1, max = 100_000) int millis,
      @ForAll @IntRange(min = 1, max = 10_000) int connections) {
    double ms = millis / 1000.0;
    LoadResult result =
        new LoadResult(
            requests,
            10.5,
            requests / 10.5,
            errors / 2,
            errors,
            ms,
            ms * 2,
            ms * 3,
            ms * 4,
            connections,
            1.5);
    LoadResult parsed = LoadResult.parse(result.toJson());
    assertEquals(result.requests(), parsed.requests());
    assertEquals(result.non2xx(), parsed.non2xx());
    assertEquals(result.errors(), parsed.errors());
    assertEquals(result.connections(), parsed.connections());
    assertEquals(result.p50Ms(), parsed.p50Ms(), 0.0005);
    assertEquals(result.maxMs(), parsed.maxMs(), 0.0005);
    assertEquals(result.requestsPerSecond(), parsed.requestsPerSecond(), 0.05);
  }

  @Test
  void acceptsAnyOrderSpacesAndUnknownFields() {
    LoadResult parsed =
        LoadResult.parse(
            " { \"connections\" : 16 , \"requests\":10,\"seconds\":2.0,\"requestsPerSecond\":5,"
                + "\"non2xx\":0,\"errors\":0,\"p50Ms\":1e-1,\"p90Ms\":0.2,\"p99Ms\":0.3,"
                + "\"maxMs\":4,\"cpuSeconds\":0.5,\"bytesSent\":12345 }\n");
    assertEquals(16, parsed.connections());
    assertEquals(10, parsed.requests());
    assertEquals(0.1, parsed.p50Ms());
    assertEquals(4.0, parsed.maxMs());
  }

  @Test
  void namesTheMissingField() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LoadResult.parse("{\"requests\":1}"));
    assertEquals("load result without \"seconds\"", e.getMessage());
  }

  @Test
  void rejectsTextThatIsNotAFlatObjectOfNumbers() {
    for (String bad :
        new String[] {
          "", "[]", "{\"a\":\"x\"}", "{\"a\":1", "{\"a\":1}x", "{\"a\":{}}", "{a:1}", "{\"a\":}"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> LoadResult.flatNumbers(bad), bad);
      assertTrue(e.getMessage().startsWith("not a load result at offset "), e.getMessage());
    }
  }
}
