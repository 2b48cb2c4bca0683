package dev.collect.eventstore;

import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import dev.collect.eventstore.internal.RandomIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A pipeline {@link Sink} that records each envelope as an event: a mapper names its stream and
 * builds the {@link EventData}. A batch becomes one append per stream (expected version {@code
 * any}), keeping the batch's order within each stream.
 *
 * <p>Idempotent when the mapper gives each record a stable event id (for instance {@link
 * #stableEventId(Envelope)}, derived from the source and position): a replayed record is then
 * recognised by the store and not stored twice, whatever the replay's batching. Durable when {@code
 * write} returns (the store acknowledges appends durably), so {@code flush} has nothing to do.
 * Thread-safe.
 *
 * @param <T> the record type
 */
public final class EventStoreSink<T> implements Sink<T> {

  /** Where one record goes. */
  public record StreamEvent(String streamId, EventData event) {
    public StreamEvent {
      Objects.requireNonNull(streamId, "streamId");
      Objects.requireNonNull(event, "event");
    }
  }

  private final String name;
  private final EventStore store;
  private final Function<Envelope<T>, StreamEvent> mapper;

  private EventStoreSink(String name, EventStore store, Function<Envelope<T>, StreamEvent> mapper) {
    this.name = Objects.requireNonNull(name, "name");
    this.store = Objects.requireNonNull(store, "store");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** A sink named {@code event-store} that maps each envelope with {@code mapper}. */
  public static <T> EventStoreSink<T> of(
      EventStore store, Function<Envelope<T>, StreamEvent> mapper) {
    return new EventStoreSink<>("event-store", store, mapper);
  }

  /** {@link #of(EventStore, Function)} with a name for metrics and dead letters. */
  public static <T> EventStoreSink<T> of(
      String name, EventStore store, Function<Envelope<T>, StreamEvent> mapper) {
    return new EventStoreSink<>(name, store, mapper);
  }

  /**
   * A name-based UUID of the envelope's source and position: the same record read again after a
   * restart gets the same id. Random when the envelope has no position.
   */
  public static String stableEventId(Envelope<?> envelope) {
    if (envelope.position() == null) {
      return RandomIds.uuid();
    }
    String key = envelope.source() + "|" + new java.util.TreeMap<>(envelope.position().describe());
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
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
    // Start every stream's append before waiting for any: the file backend then commits the whole
    // batch with one fsync instead of one per entity.
    Map<String, CompletableFuture<AppendResult>> pending = new LinkedHashMap<>();
    for (Map.Entry<String, List<EventData>> e : byStream.entrySet()) {
      pending.put(e.getKey(), store.appendAsync(e.getKey(), ExpectedVersion.any(), e.getValue()));
    }
    for (Map.Entry<String, CompletableFuture<AppendResult>> e : pending.entrySet()) {
      try {
        e.getValue().join();
      } catch (CompletionException failed) {
        if (!(failed.getCause() instanceof ConcurrencyException)) {
          throw failed.getCause() instanceof RuntimeException r ? r : failed;
        }
        appendOneByOne(e.getKey(), byStream.get(e.getKey()));
      }
    }
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
