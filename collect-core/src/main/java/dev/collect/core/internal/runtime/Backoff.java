package dev.collect.core.internal.runtime;

import dev.collect.core.RetryPolicy;
import dev.collect.core.spi.Retrier;

/**
 * Waits between a source's failed polls per the retry policy, with the waits of {@link Retrier}
 * (the one retry executor), for the reader's loop that goes on polling rather than re-running one
 * call.
 */
final class Backoff {
  private final Retrier retrier;

  Backoff(RetryPolicy policy) {
    this.retrier = Retrier.of(policy).build();
  }

  /** Sleeps after failed attempt {@code attempt}, at most {@code capMillis}. */
  void pause(int attempt, long capMillis) {
    try {
      Thread.sleep(Math.max(0, Math.min(retrier.interval(attempt).toMillis(), capMillis)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerInterrupted();
    }
  }
}
