package dev.collect.stream.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.MetricNames;
import dev.collect.core.PipelineContext;
import dev.collect.stream.StreamMetricNames;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * The ids seen within the TTL, in a Caffeine cache: each expires its TTL after its first sighting
 * on the given clock, and past {@code maxEntries} ids leave early by Caffeine's size policy
 * (counted in {@code collect.stream.dedup.evicted}). Thread-safe without a global lock.
 */
public final class DedupCollector<T> implements Collector<T, T> {
  private final Function<? super T, ?> idOf;
  private final Cache<Object, Boolean> seen;
  private Counter duplicates;
  private Counter evicted;

  /** The given clock, or the pipeline's once opened (the system clock until then). */
  private volatile Clock clock;

  private final boolean ownClock;

  /** {@code clock}: null for the pipeline's. */
  public DedupCollector(Function<? super T, ?> idOf, Duration ttl, int maxEntries, Clock clock) {
    this.idOf = idOf;
    this.ownClock = clock != null;
    this.clock = clock == null ? Clock.systemUTC() : clock;
    this.seen =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfterWrite(ttl)
            .ticker(new ClockTicker(() -> this.clock))
            .executor(Runnable::run)
            .evictionListener(
                (Object id, Boolean value, RemovalCause cause) -> {
                  if (cause == RemovalCause.SIZE && evicted != null) {
                    evicted.increment();
                  }
                })
            .build();
  }

  /**
   * Forgets every id: a pipeline (re)started with this collector must not drop, as duplicates,
   * records a failed run saw but never settled.
   */
  @Override
  public void open(PipelineContext context) {
    seen.invalidateAll();
    if (!ownClock) {
      clock = context.clock();
    }
    duplicates =
        Counter.builder(StreamMetricNames.DUPLICATES)
            .description("Records dropped as duplicates of an id seen within the TTL")
            .tag(MetricNames.TAG_PIPELINE, context.pipeline())
            .register(context.meterRegistry());
    evicted =
        Counter.builder(StreamMetricNames.DEDUP_EVICTED)
            .description("Ids forgotten before their TTL because the bound was reached")
            .tag(MetricNames.TAG_PIPELINE, context.pipeline())
            .register(context.meterRegistry());
  }

  @Override
  public void collect(Envelope<T> input, Output<T> output) {
    Object id = input.value() == null ? null : idOf.apply(input.value());
    if (id == null) {
      throw new MalformedRecordException("the record has no event id to de-duplicate by");
    }
    if (firstSighting(id)) {
      output.emit(input);
    } else if (duplicates != null) {
      duplicates.increment();
    }
  }

  /** True when {@code id} was not seen within the TTL (and remembers it). */
  public boolean firstSighting(Object id) {
    return seen.asMap().putIfAbsent(id, Boolean.TRUE) == null;
  }

  /** Ids remembered now, after expired and over-bound ones left. */
  public int size() {
    seen.cleanUp();
    return (int) seen.estimatedSize();
  }
}
