package io.segmentredshift.benchmarks.harness;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap of this JVM, from its memory pool beans: the peak since the last {@link #resetPeaks()}
 * and the use now. Use it around a benchmark that runs in this JVM; for another process read its
 * resident set with {@link ProcessStats}.
 *
 * <p>The peak is the sum of each heap pool's own peak (eden, survivor, old). The pools peak at
 * different moments, so the sum is an upper bound of the heap ever in use at once; with a collector
 * that sizes its young generation to the room it has, it also grows with {@code -Xmx}. That is why
 * the end-to-end benchmark caps the heap ({@code -Xmx256m}) to show what the library needs.
 */
public final class JvmMemory {
  private JvmMemory() {}

  /** Starts a new peak: every heap pool's peak becomes its current use. */
  public static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peak use since the JVM started or the last reset, in bytes. */
  public static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** The heap in use now, in bytes, garbage included. */
  public static long usedHeapBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The most the heap may grow to ({@code -Xmx}), in bytes. */
  public static long maxHeapBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
  }

  /**
   * Watches every garbage collection from now on and keeps the largest heap in use right after one:
   * what the program really held at its peak (live objects, and garbage a young collection
   * promoted), where the pools' peaks ({@link #peakHeapBytes()}) also count garbage not yet
   * collected. 0 until the first collection.
   */
  public static AtomicLong watchAfterGc() {
    AtomicLong max = new AtomicLong();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (notification, handback) -> {
                if (!notification
                    .getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                  return;
                }
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long used = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                  MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                  if (pool.getType() == MemoryType.HEAP && after != null) {
                    used += after.getUsed();
                  }
                }
                max.accumulateAndGet(used, Math::max);
              },
              null,
              null);
    }
    return max;
  }
}
