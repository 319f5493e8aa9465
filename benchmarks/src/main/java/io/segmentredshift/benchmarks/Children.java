package io.segmentredshift.benchmarks;

import io.segmentredshift.benchmarks.harness.JvmMemory;
import io.segmentredshift.benchmarks.harness.ProcessStats;
import io.segmentredshift.event.Event;
import io.segmentredshift.event.EventParser;
import io.segmentredshift.testkit.PostgresServer;
import io.segmentredshift.testkit.SegmentTraffic;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** What the benchmark's child JVMs share: the warehouse connection, the events, memory figures. */
final class Children {
  private static final double MIB = 1024.0 * 1024.0;

  private Children() {}

  /** The embedded PostgreSQL the parent started, database {@code database}. */
  static DataSource postgres(int port, String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(database);
    ds.setUser(PostgresServer.USER);
    return ds;
  }

  /**
   * The seeded generator's messages: {@code "track"} for track events only (the load benchmark),
   * {@code "mixed"} for the realistic mix of all six call types.
   */
  static final class Traffic {
    private final SegmentTraffic traffic;
    private final boolean mixed;
    private final EventParser parser = EventParser.create();

    Traffic(String kind, long seed) {
      if (!kind.equals("track") && !kind.equals("mixed")) {
        throw new IllegalArgumentException("traffic is not track or mixed: " + kind);
      }
      this.traffic = SegmentTraffic.seeded(seed);
      this.mixed = kind.equals("mixed");
    }

    byte[] nextJson() {
      return mixed ? traffic.next() : traffic.next(SegmentTraffic.Kind.TRACK);
    }

    /** The next {@code n} messages, parsed as the receiver parses a webhook. */
    List<Event> next(int n) {
      List<Event> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(parser.parseEvent(nextJson()));
      }
      return out;
    }
  }

  /** Starts the memory figures of a measurement: peaks reset, heap after each GC watched. */
  static AtomicLong startMemoryWatch() {
    AtomicLong afterGc = JvmMemory.watchAfterGc();
    JvmMemory.resetPeaks();
    return afterGc;
  }

  /** This JVM's memory and GC figures, in MiB and counts. */
  static Map<String, Object> memoryFigures(AtomicLong afterGc) {
    Map<String, Object> out = new LinkedHashMap<>();
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    ProcessStats.Sample self = ProcessStats.self();
    out.put("maxHeapMiB", JvmMemory.maxHeapBytes() / MIB);
    out.put("peakHeapMiB", JvmMemory.peakHeapBytes() / MIB);
    out.put("heapAfterGcMiB", afterGc.get() / MIB);
    out.put("rssMiB", self.rssBytes() / MIB);
    out.put("peakRssMiB", self.peakRssBytes() / MIB);
    out.put("gcCount", gcCount);
    out.put("gcSeconds", gcMillis / 1000.0);
    return out;
  }
}
