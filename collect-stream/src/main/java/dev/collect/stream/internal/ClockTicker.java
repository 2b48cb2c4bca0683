package dev.collect.stream.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A Caffeine {@link Ticker} reading a {@link Clock} (the one a supplier gives at each read, so that
 * a cache built before the pipeline opens can follow its clock), so that caches expire on a test's
 * clock.
 */
final class ClockTicker implements Ticker {
  private final Supplier<Clock> clock;

  ClockTicker(Supplier<Clock> clock) {
    this.clock = clock;
  }

  @Override
  public long read() {
    Instant now = clock.get().instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
