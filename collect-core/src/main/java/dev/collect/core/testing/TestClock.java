package dev.collect.core.testing;

import dev.collect.core.spi.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it: pass it to {@code PipelineBuilder.clock}, to a
 * windowing or de-duplication step, or to a cache, and then {@link #advance} it instead of
 * sleeping. Thread-safe: one thread may move it while others read it.
 */
public final class TestClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private TestClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** A clock at {@code start}, in UTC. */
  public static TestClock at(Instant start) {
    return new TestClock(
        new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /** A clock at 2026-01-01T00:00:00Z. */
  public static TestClock create() {
    return at(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves the clock forward by {@code duration} and returns the new instant. */
  public Instant advance(Duration duration) {
    Checks.notNegative("duration", duration);
    return now.updateAndGet(t -> t.plus(duration));
  }

  /** Sets the clock to {@code instant} (backwards too, to test a clock that jumps). */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public long millis() {
    return now.get().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same moving instant seen in {@code zone}: advancing one advances both. */
  @Override
  public Clock withZone(ZoneId zone) {
    return new TestClock(now, zone);
  }

  @Override
  public String toString() {
    return "TestClock[" + now.get() + "]";
  }
}
