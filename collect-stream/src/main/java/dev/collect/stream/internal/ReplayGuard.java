package dev.collect.stream.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Remembers the signatures seen within the timestamp tolerance, so that a captured request sent
 * again while its timestamp is still fresh is refused too. Keyed on the verified MAC bytes, not on
 * the header's text: the header can spell one MAC in several ways (hex case, prefix case,
 * whitespace), and the MAC covers exactly the timestamp and the body. A Caffeine cache: an entry
 * leaves once its timestamp is older than the tolerance on {@code clock}, and past {@code
 * maxEntries} entries leave early by Caffeine's size policy (an evicted entry whose timestamp is
 * still fresh could be replayed once; the bound is large). Thread-safe, without a global lock.
 */
final class ReplayGuard {
  private final Cache<String, Long> seen;

  ReplayGuard(int maxEntries, Duration tolerance, Clock clock) {
    long toleranceSeconds = tolerance.toSeconds();
    this.seen =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfter(
                Expiry.<String, Long>creating(
                    (mac, timestamp) ->
                        Duration.ofSeconds(
                            Math.max(
                                0,
                                timestamp
                                    + toleranceSeconds
                                    + 1
                                    - clock.instant().getEpochSecond()))))
            .ticker(new ClockTicker(() -> clock))
            .executor(Runnable::run)
            .build();
  }

  /**
   * Reserves the verified {@code mac} of a request stamped {@code timestamp} (epoch seconds): true
   * the first time, false for a replay. A request that is then not accepted (429) {@link #release}s
   * it so that the sender may retry it unchanged.
   */
  boolean reserve(byte[] mac, long timestamp) {
    return seen.asMap().putIfAbsent(HexFormat.of().formatHex(mac), timestamp) == null;
  }

  void release(byte[] mac) {
    seen.invalidate(HexFormat.of().formatHex(mac));
  }

  /** Signatures remembered now, after expired and over-bound ones left. */
  long size() {
    seen.cleanUp();
    return seen.estimatedSize();
  }
}
