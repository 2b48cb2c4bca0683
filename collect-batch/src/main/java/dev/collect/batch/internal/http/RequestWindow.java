package dev.collect.batch.internal.http;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A sliding-window rate limit that holds as the server counts: at most {@code limit} requests
 * arrive in any one second. A request may start only once a second has passed since the end of the
 * {@code limit}-th request before it; a request arrives after it started and before it ended, so no
 * network delay can squeeze {@code limit + 1} arrivals into one second. (A limiter that refills its
 * allowance at fixed period boundaries lets a burst at the end of one period and one at the start
 * of the next reach the server within a second.) Used by one thread.
 */
final class RequestWindow {
  /** Sleeps for a number of nanoseconds; a test records the sleeps instead. */
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private final long[] ends;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  private int next;
  private int filled;

  RequestWindow(int limit) {
    this(limit, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
  }

  RequestWindow(int limit, LongSupplier clock, Sleeper sleeper) {
    this.ends = new long[limit];
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Waits until one more request may start. */
  void acquire() throws InterruptedException {
    if (filled < ends.length) {
      return;
    }
    long wait = ends[next] + SECOND - clock.getAsLong();
    if (wait > 0) {
      sleeper.sleep(wait);
    }
  }

  /** Records that the request started by the last {@link #acquire()} ended (or was given up). */
  void release() {
    ends[next] = clock.getAsLong();
    next = (next + 1) % ends.length;
    filled = Math.min(filled + 1, ends.length);
  }
}
