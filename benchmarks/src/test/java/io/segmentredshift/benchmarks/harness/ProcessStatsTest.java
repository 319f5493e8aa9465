package io.segmentredshift.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {
  @Test
  void readsCpuTicksAfterACommandNameWithSpacesAndParentheses() {
    String stat =
        "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 52 0 0 0 1234 567 0 0 20 0 30 0 100"
            + " 4000000 1000 18446744073709551615";
    assertEquals(1234 + 567, ProcessStats.statTicks(stat));
  }

  @Test
  void readsKilobyteFieldsOfStatus() {
    String status = "Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t30\n";
    assertEquals(204800, ProcessStats.statusKilobytes(status, "VmHWM"));
    assertEquals(102400, ProcessStats.statusKilobytes(status, "VmRSS"));
    assertEquals(0, ProcessStats.statusKilobytes(status, "VmSwap"));
  }

  @Test
  void samplesThisJvm() {
    ProcessStats.Sample before = ProcessStats.self();
    long sum = 0;
    for (int i = 0; i < 50_000_000; i++) {
      sum += i % 7;
    }
    ProcessStats.Sample after = ProcessStats.self();
    assertTrue(sum > 0);
    assertEquals(ProcessHandle.current().pid(), after.pid());
    assertTrue(after.cpuSecondsSince(before) > 0, "cpu " + after.cpuSecondsSince(before));
    assertTrue(after.rssBytes() > 10 << 20, "rss " + after.rssBytes());
    assertTrue(after.peakRssBytes() >= after.rssBytes());
  }

  @Test
  void jvmMemoryReportsAPeakAtLeastAsLargeAsANewArray() {
    JvmMemory.resetPeaks();
    byte[] big = new byte[32 << 20];
    big[big.length - 1] = 1;
    assertTrue(JvmMemory.peakHeapBytes() >= big.length, "peak " + JvmMemory.peakHeapBytes());
    assertTrue(JvmMemory.maxHeapBytes() >= JvmMemory.usedHeapBytes());
  }
}
