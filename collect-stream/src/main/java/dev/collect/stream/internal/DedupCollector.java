package dev.collect.stream.internal;

import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.MetricNames;
import dev.collect.core.PipelineContext;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Ids in first-sighting order with their expiry; expired and over-bound entries leave from the
 * head, so each record costs O(1) amortised.
 */
public final class DedupCollector<T> implements Collector<T, T> {
  private final Function<? super T, ?> idOf;
  private final long ttlMillis;
  private final int maxEntries;
  private final Clock clock;
  private final LinkedHashMap<Object, Long> seen = new LinkedHashMap<>();
  private Counter duplicates;
  private Counter evicted;

  public DedupCollector(Function<? super T, ?> idOf, Duration ttl, int maxEntries, Clock clock) {
    this.idOf = idOf;
    this.ttlMillis = ttl.toMillis();
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  @Override
  public void open(PipelineContext context) {
    duplicates =
        Counter.builder("collect.stream.duplicates")
            .description("Records dropped as duplicates of an id seen within the TTL")
            .tag(MetricNames.TAG_PIPELINE, context.pipeline())
            .register(context.meterRegistry());
    evicted =
        Counter.builder("collect.stream.dedup.evicted")
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
  public synchronized boolean firstSighting(Object id) {
    long now = clock.millis();
    Iterator<Map.Entry<Object, Long>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Object, Long> head = it.next();
      if (head.getValue() > now && seen.size() < maxEntries) {
        break;
      }
      if (head.getValue() > now && evicted != null) {
        evicted.increment();
      }
      it.remove();
    }
    Long expiry = seen.get(id);
    if (expiry != null && expiry > now) {
      return false;
    }
    seen.remove(id);
    seen.put(id, now + ttlMillis);
    return true;
  }

  /** Ids remembered now. */
  public synchronized int size() {
    return seen.size();
  }
}
