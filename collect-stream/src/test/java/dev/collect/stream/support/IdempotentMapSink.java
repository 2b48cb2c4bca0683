package dev.collect.stream.support;

import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import dev.collect.stream.KafkaPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keyed upserts into a map (idempotent), plus a log of every write to count duplicates. Shared by
 * both instances like a database would be.
 */
public final class IdempotentMapSink implements Sink<Long> {
  private final Map<Long, KafkaPosition> byId = new ConcurrentHashMap<>();
  private final List<KafkaPosition> duplicates = new ArrayList<>();
  private final AtomicLong writes = new AtomicLong();

  @Override
  public String name() {
    return "idempotent-map";
  }

  @Override
  public void write(List<Envelope<Long>> batch) {
    for (Envelope<Long> e : batch) {
      writes.incrementAndGet();
      KafkaPosition position = (KafkaPosition) e.position();
      if (byId.put(e.value(), position) != null) {
        synchronized (duplicates) {
          duplicates.add(position);
        }
      }
    }
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  @Override
  public boolean isIdempotent() {
    return true;
  }

  public int distinct() {
    return byId.size();
  }

  public Set<Long> ids() {
    return byId.keySet();
  }

  public List<KafkaPosition> duplicates() {
    synchronized (duplicates) {
      return List.copyOf(duplicates);
    }
  }
}
