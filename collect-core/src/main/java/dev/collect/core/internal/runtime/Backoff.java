package dev.collect.core.internal.runtime;

import dev.collect.core.RetryPolicy;
import io.github.resilience4j.core.IntervalFunction;

/** Waits between attempts per the retry policy: resilience4j's randomized exponential backoff. */
final class Backoff {
  private final IntervalFunction intervals;

  Backoff(RetryPolicy policy) {
    this.intervals =
        IntervalFunction.ofExponentialRandomBackoff(
            policy.initialBackoff(), policy.multiplier(), policy.jitter(), policy.maxBackoff());
  }

  /** The wait after failed attempt {@code attempt} (1-based), in milliseconds. */
  long millis(int attempt) {
    return intervals.apply(attempt);
  }

  /** Sleeps after failed attempt {@code attempt}, at most {@code capMillis}. */
  void pause(int attempt, long capMillis) {
    try {
      Thread.sleep(Math.max(0, Math.min(millis(attempt), capMillis)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerInterrupted();
    }
  }
}
