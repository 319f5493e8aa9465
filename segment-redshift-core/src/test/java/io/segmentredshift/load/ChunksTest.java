package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ChunksTest {
  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void runsEveryChunkOnceAndThrowsTheExceptionOfTheFirstFailedChunk() {
    try (Chunks chunks = new Chunks("test", 3)) {
      AtomicIntegerArray runs = new AtomicIntegerArray(8);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  chunks.run(
                      8,
                      k -> {
                        runs.incrementAndGet(k);
                        if (k == 2) {
                          // Chunk 6 fails first in time; chunk 2's exception is still the one.
                          pause(100);
                          throw new IllegalArgumentException("chunk 2");
                        }
                        if (k == 6) {
                          throw new IllegalArgumentException("chunk 6");
                        }
                      }));
      assertEquals("chunk 2", e.getMessage());
      for (int k = 0; k < 8; k++) {
        assertEquals(1, runs.get(k), "chunk " + k);
      }
    }
  }

  @Test
  void helpersAreNamedDaemonsThatEndAtCloseAfterWhichTheCallerRunsEveryChunk()
      throws InterruptedException {
    Chunks chunks = new Chunks("pipe", 2);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    chunks.run(
        6,
        k -> {
          threads.add(Thread.currentThread());
          pause(50);
        });
    threads.remove(Thread.currentThread());
    assertEquals(1, threads.size(), "one helper besides the caller: " + threads);
    Thread helper = threads.iterator().next();
    assertEquals("pipe-layout-1", helper.getName());
    assertTrue(helper.isDaemon());

    chunks.close();
    helper.join(5_000);
    assertFalse(helper.isAlive(), "the helper outlived close()");
    Set<Thread> after = ConcurrentHashMap.newKeySet();
    chunks.run(4, k -> after.add(Thread.currentThread()));
    assertEquals(Set.of(Thread.currentThread()), after);
  }
}
