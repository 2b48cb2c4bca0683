package dev.collect.stream;

import dev.collect.core.Collector;
import dev.collect.core.spi.Checks;
import dev.collect.stream.internal.DedupCollector;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Drops records whose event id was already seen within a time-to-live, as a {@link Collector} step:
 * the first record of an id passes, later ones count as filtered ({@code
 * collect.stream.duplicates}).
 *
 * <p>Memory is bounded by {@link #maxEntries(int)}: past it ids are forgotten before their TTL
 * ({@code collect.stream.dedup.evicted} counts them), chosen by Caffeine's size policy (recently
 * and often seen ids stay), so a duplicate may then pass. The TTL runs on processing time, on the
 * pipeline's clock, from the first sighting. State is in memory: ids seen before a restart are
 * forgotten, so replays of the uncommitted tail pass again (pair with an idempotent sink for
 * effectively-once). Thread-safe, without a global lock (a Caffeine cache).
 *
 * @param <T> the record type
 */
public final class Deduplication<T> {
  /** Default time-to-live of a seen id. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

  /** Default bound of remembered ids. */
  public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

  private final Function<? super T, ?> idOf;
  private Duration ttl = DEFAULT_TTL;
  private int maxEntries = DEFAULT_MAX_ENTRIES;
  private Clock clock;

  private Deduplication(Function<? super T, ?> idOf) {
    this.idOf = idOf;
  }

  /** De-duplicates by {@code idOf(value)}; a null id fails the record (dead letter). */
  public static <T> Deduplication<T> byId(Function<? super T, ?> idOf) {
    return new Deduplication<>(Objects.requireNonNull(idOf, "idOf"));
  }

  /** Default 10 minutes. */
  public Deduplication<T> ttl(Duration value) {
    Checks.positive("ttl", value);
    this.ttl = value;
    return this;
  }

  /** Default {@value #DEFAULT_MAX_ENTRIES}. */
  public Deduplication<T> maxEntries(int value) {
    Checks.positive("maxEntries", value);
    this.maxEntries = value;
    return this;
  }

  /**
   * Default the pipeline's clock ({@code PipelineBuilder.clock}; the UTC system clock outside a
   * pipeline).
   */
  public Deduplication<T> clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  /** The collector. */
  public Collector<T, T> build() {
    return new DedupCollector<>(idOf, ttl, maxEntries, clock);
  }
}
