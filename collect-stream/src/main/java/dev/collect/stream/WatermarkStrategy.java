package dev.collect.stream;

import dev.collect.core.Envelope;
import dev.collect.core.spi.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How event time and the watermark are derived. The watermark is the claim "no record older than
 * this is expected any more": per channel (a Kafka partition, an MQTT topic, a device) it trails
 * the newest event time seen by the allowed out-of-orderness, and the pipeline's watermark is the
 * lowest of the channels' watermarks, so a slow channel holds it back. A channel without records
 * for the idle timeout stops holding it back until it speaks again.
 *
 * <p>Immutable and thread-safe; the {@code with*} methods return new strategies.
 *
 * @param <T> the record type
 */
public final class WatermarkStrategy<T> {
  private final Duration maxOutOfOrderness;
  private final Function<? super Envelope<T>, Instant> timestamps;
  private final Function<? super Envelope<T>, ?> channels;
  private final @Nullable Duration idleTimeout;
  private final Clock clock;

  private WatermarkStrategy(
      Duration maxOutOfOrderness,
      Function<? super Envelope<T>, Instant> timestamps,
      Function<? super Envelope<T>, ?> channels,
      @Nullable Duration idleTimeout,
      Clock clock) {
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.timestamps = timestamps;
    this.channels = channels;
    this.idleTimeout = idleTimeout;
    this.clock = clock;
  }

  /**
   * Records may arrive up to {@code maxOutOfOrderness} after newer ones. Event time is the
   * envelope's; one channel; no idleness.
   */
  public static <T> WatermarkStrategy<T> boundedOutOfOrderness(Duration maxOutOfOrderness) {
    Checks.notNegative("maxOutOfOrderness", maxOutOfOrderness);
    return new WatermarkStrategy<>(
        maxOutOfOrderness, Envelope::eventTime, e -> "", null, Clock.systemUTC());
  }

  /** Records arrive in event-time order: {@code boundedOutOfOrderness(Duration.ZERO)}. */
  public static <T> WatermarkStrategy<T> ascending() {
    return boundedOutOfOrderness(Duration.ZERO);
  }

  /** Takes event time from the value instead of the envelope. */
  public WatermarkStrategy<T> withTimestamps(Function<? super T, Instant> fromValue) {
    Objects.requireNonNull(fromValue, "fromValue");
    return new WatermarkStrategy<>(
        maxOutOfOrderness, e -> fromValue.apply(e.value()), channels, idleTimeout, clock);
  }

  /**
   * Tracks a watermark per channel, e.g. {@code e -> e.position() instanceof KafkaPosition p ?
   * p.partition() : 0}; default one channel.
   */
  public WatermarkStrategy<T> withChannels(Function<? super Envelope<T>, ?> channelOf) {
    return new WatermarkStrategy<>(
        maxOutOfOrderness,
        timestamps,
        Objects.requireNonNull(channelOf, "channelOf"),
        idleTimeout,
        clock);
  }

  /** A channel quiet for {@code timeout} (processing time) stops holding the watermark back. */
  public WatermarkStrategy<T> withIdleness(Duration timeout) {
    Checks.positive("idle timeout", timeout);
    return new WatermarkStrategy<>(maxOutOfOrderness, timestamps, channels, timeout, clock);
  }

  /** The processing-time clock for idleness; default the UTC system clock. */
  public WatermarkStrategy<T> withClock(Clock value) {
    return new WatermarkStrategy<>(
        maxOutOfOrderness, timestamps, channels, idleTimeout, Objects.requireNonNull(value));
  }

  public Duration maxOutOfOrderness() {
    return maxOutOfOrderness;
  }

  /** The event time of {@code record}, or null when it has none. */
  public @Nullable Instant timestampOf(Envelope<T> record) {
    return timestamps.apply(record);
  }

  /** The channel of {@code record}. */
  public Object channelOf(Envelope<T> record) {
    return channels.apply(record);
  }

  /** The idle timeout, or null when channels never go idle. */
  public @Nullable Duration idleTimeout() {
    return idleTimeout;
  }

  public Clock clock() {
    return clock;
  }
}
