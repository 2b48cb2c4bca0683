package dev.collect.eventstore.internal;

import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import dev.collect.eventstore.AppendResult;
import dev.collect.eventstore.ConcurrencyException;
import dev.collect.eventstore.EventData;
import dev.collect.eventstore.EventStore;
import dev.collect.eventstore.EventStoreSinkConfig;
import dev.collect.eventstore.ExpectedVersion;
import dev.collect.eventstore.StreamEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The event-store sink behind {@link EventStore#sink}: one append per stream and batch; see {@link
 * EventStoreSinkConfig} for its guarantees.
 *
 * @param <T> the record type
 */
public final class EventStoreSinkImpl<T> implements Sink<T> {

  private final String name;
  private final EventStore store;
  private final Function<Envelope<T>, StreamEvent> mapper;

  public EventStoreSinkImpl(
      EventStoreSinkConfig config, Function<Envelope<T>, StreamEvent> mapper) {
    this.name = config.name();
    this.store = config.store();
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void write(List<Envelope<T>> batch) {
    Map<String, List<EventData>> byStream = new LinkedHashMap<>();
    for (Envelope<T> envelope : batch) {
      StreamEvent target = mapper.apply(envelope);
      byStream.computeIfAbsent(target.streamId(), s -> new ArrayList<>()).add(target.event());
    }
    // Start every stream's append before waiting for any, all at once: the file backend then
    // commits the whole batch with one fsync instead of one per entity.
    Iterator<CompletableFuture<AppendResult>> pending = startAll(store, byStream).iterator();
    for (Map.Entry<String, List<EventData>> e : byStream.entrySet()) {
      try {
        pending.next().join();
      } catch (CompletionException failed) {
        if (!(failed.getCause() instanceof ConcurrencyException)) {
          throw failed.getCause() instanceof RuntimeException r ? r : failed;
        }
        appendOneByOne(e.getKey(), e.getValue());
      }
    }
  }

  /** Starts one append per stream (expected version any), together where the store can. */
  static List<CompletableFuture<AppendResult>> startAll(
      EventStore store, Map<String, List<EventData>> byStream) {
    if (store instanceof BatchAppends batch) {
      return batch.appendAllAsync(byStream);
    }
    List<CompletableFuture<AppendResult>> started = new ArrayList<>(byStream.size());
    for (Map.Entry<String, List<EventData>> e : byStream.entrySet()) {
      started.add(store.appendAsync(e.getKey(), ExpectedVersion.any(), e.getValue()));
    }
    return started;
  }

  /**
   * With expected version "any", a concurrency error means some ids were stored by an earlier,
   * differently batched attempt: append one by one so each is either recognised or stored.
   */
  private void appendOneByOne(String streamId, List<EventData> events) {
    for (EventData event : events) {
      store.append(streamId, ExpectedVersion.any(), List.of(event));
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

  /** Does nothing: the store belongs to the caller, who closes it. */
  @Override
  public void close() {}
}
