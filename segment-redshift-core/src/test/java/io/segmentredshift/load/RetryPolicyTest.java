package io.segmentredshift.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final RetryPolicy POLICY =
      RetryPolicy.builder()
          .maxAttempts(10)
          .initialBackoff(Duration.ofMillis(100))
          .maxBackoff(Duration.ofSeconds(2))
          .build();

  @Property
  void backoffIsBetweenHalfAndAllOfTheCappedExponential(
      @ForAll @IntRange(min = 1, max = 200) int attempt) {
    long full = Math.min(2000, 100L << Math.min(attempt - 1, 20));
    Duration d = POLICY.backoff(attempt);
    assertTrue(d.toNanos() >= full * 1_000_000 / 2, attempt + ": " + d);
    assertTrue(d.toNanos() <= full * 1_000_000, attempt + ": " + d);
  }

  @Test
  void backoffIsJittered() {
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      seen.add(POLICY.backoff(3));
    }
    assertTrue(seen.size() > 10, seen.toString());
  }

  @Test
  void defaultsAndArgumentChecks() {
    assertEquals(6, RetryPolicy.defaults().maxAttempts());
    assertEquals(Duration.ofMillis(200), RetryPolicy.defaults().initialBackoff());
    assertEquals(Duration.ofSeconds(10), RetryPolicy.defaults().maxBackoff());
    assertEquals(1, RetryPolicy.none().maxAttempts());
    assertEquals(
        Duration.ZERO, RetryPolicy.builder().initialBackoff(Duration.ZERO).build().backoff(5));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().maxAttempts(0));
    assertEquals("maxAttempts <= 0: 0", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(20)).build());
    assertThrows(IllegalArgumentException.class, () -> POLICY.backoff(0));
  }
}
