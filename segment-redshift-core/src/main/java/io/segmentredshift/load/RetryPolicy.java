package io.segmentredshift.load;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a batch is tried again after a retryable failure (a serialization
 * conflict, a deadlock, a broken connection; see {@link LoadException#retryable()}): capped
 * exponential backoff with jitter. Before attempt {@code n + 1} the load waits a random time
 * between half and all of {@code min(maxBackoff, initialBackoff * 2^(n-1))}, so loaders that
 * collided do not collide again in step.
 *
 * <pre>{@code
 * RetryPolicy.builder().maxAttempts(8).initialBackoff(Duration.ofMillis(200)).build();
 * }</pre>
 */
public final class RetryPolicy {
  /** Waits; {@link #SYSTEM} sleeps the thread. Tests pass one that records and returns. */
  @FunctionalInterface
  public interface Sleeper {
    /** {@code Thread.sleep}. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    /** Waits for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
  }

  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.sleeper = b.sleeper;
  }

  /** 6 attempts, backoff from 200 ms doubling up to 10 s (about 12 s of waiting at most). */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** One attempt: failures are reported at once. */
  public static RetryPolicy none() {
    return builder().maxAttempts(1).build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The most attempts per batch, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The backoff before the second attempt, before jitter. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The longest backoff, before jitter. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The wait after failed attempt {@code attempt} (from 1): between half and all of the capped
   * exponential backoff.
   */
  public Duration backoff(int attempt) {
    if (attempt <= 0) {
      throw new IllegalArgumentException("attempt <= 0: " + attempt);
    }
    long cap = maxBackoff.toNanos();
    long base = initialBackoff.toNanos();
    int shift = attempt - 1;
    long full = shift < 63 && base <= (cap >> shift) ? base << shift : cap;
    long half = full / 2;
    long jittered = half + ThreadLocalRandom.current().nextLong(full - half + 1);
    return Duration.ofNanos(jittered);
  }

  /** Sleeps {@link #backoff(int) backoff(attempt)} with the configured sleeper. */
  void pause(int attempt) throws InterruptedException {
    sleeper.sleep(backoff(attempt));
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + "}";
  }

  /** Builds a {@link RetryPolicy}. */
  public static final class Builder {
    private int maxAttempts = 6;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(10);
    private Sleeper sleeper = Sleeper.SYSTEM;

    private Builder() {}

    /** The most attempts per batch, at least 1 (default 6). */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts <= 0) {
        throw new IllegalArgumentException("maxAttempts <= 0: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The backoff before the second attempt (default 200 ms). */
    public Builder initialBackoff(Duration initialBackoff) {
      Objects.requireNonNull(initialBackoff, "initialBackoff == null");
      if (initialBackoff.isNegative()) {
        throw new IllegalArgumentException("initialBackoff < 0: " + initialBackoff);
      }
      this.initialBackoff = initialBackoff;
      return this;
    }

    /** The longest backoff (default 10 s). */
    public Builder maxBackoff(Duration maxBackoff) {
      Objects.requireNonNull(maxBackoff, "maxBackoff == null");
      if (maxBackoff.isNegative()) {
        throw new IllegalArgumentException("maxBackoff < 0: " + maxBackoff);
      }
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** How to wait (default {@link Sleeper#SYSTEM}). */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
      return this;
    }

    /** The policy. */
    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff < initialBackoff: " + maxBackoff + " < " + initialBackoff);
      }
      return new RetryPolicy(this);
    }
  }
}
