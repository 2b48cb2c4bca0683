package dev.collect.stream.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The watermark over channels: the lowest of the active channels' (newest event time minus the
 * allowed out-of-orderness), never moving back. Not thread-safe: its owner locks.
 */
final class Watermarks {
  private static final class Channel {
    long maxEventMillis = Long.MIN_VALUE;
    long lastSeenMillis;
  }

  private final long delayMillis;
  private final long idleMillis;
  private final Clock clock;
  private final Map<Object, Channel> channels = new HashMap<>();
  private long watermark = Long.MIN_VALUE;

  Watermarks(Duration delay, Duration idle, Clock clock) {
    this.delayMillis = delay.toMillis();
    this.idleMillis = idle == null ? Long.MAX_VALUE : idle.toMillis();
    this.clock = clock;
  }

  long current() {
    return watermark;
  }

  /** Records an event of {@code channel} at {@code eventMillis}; returns the new watermark. */
  long observe(Object channel, long eventMillis) {
    long now = clock.millis();
    Channel c = channels.computeIfAbsent(channel, k -> new Channel());
    c.maxEventMillis = Math.max(c.maxEventMillis, eventMillis);
    c.lastSeenMillis = now;
    long lowest = Long.MAX_VALUE;
    long highest = Long.MIN_VALUE;
    for (Channel ch : channels.values()) {
      long w = ch.maxEventMillis - delayMillis;
      highest = Math.max(highest, w);
      if (now - ch.lastSeenMillis < idleMillis) {
        lowest = Math.min(lowest, w);
      }
    }
    long candidate = lowest == Long.MAX_VALUE ? highest : lowest;
    watermark = Math.max(watermark, candidate);
    return watermark;
  }
}
