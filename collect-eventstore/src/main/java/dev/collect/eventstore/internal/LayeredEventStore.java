package dev.collect.eventstore.internal;

import dev.collect.eventstore.AppendResult;
import dev.collect.eventstore.EntityKeyStore;
import dev.collect.eventstore.EventData;
import dev.collect.eventstore.EventStore;
import dev.collect.eventstore.ExpectedVersion;
import dev.collect.eventstore.RecordedEvent;
import dev.collect.eventstore.Upcasters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A backend seen through crypto-shredding (encrypt on append, decrypt or mark erased on read) and
 * upcasting (after decryption). Both layers live in one object so that the order in which a user
 * adds them cannot matter.
 */
public final class LayeredEventStore implements EventStore, NotifyingStore, BatchAppends {
  private final EventStore backend;
  private final Upcasters upcasters;
  private final EntityKeyStore keys;

  private LayeredEventStore(EventStore backend, Upcasters upcasters, EntityKeyStore keys) {
    this.backend = backend;
    this.upcasters = upcasters;
    this.keys = keys;
  }

  public static LayeredEventStore of(EventStore store) {
    return store instanceof LayeredEventStore layered
        ? layered
        : new LayeredEventStore(store, null, null);
  }

  @Override
  public EventStore withUpcasters(Upcasters value) {
    return new LayeredEventStore(backend, value, keys);
  }

  @Override
  public EventStore withCryptoShredding(EntityKeyStore value) {
    return new LayeredEventStore(backend, upcasters, value);
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
    return backend.append(streamId, expected, sealed(streamId, events));
  }

  @Override
  public CompletableFuture<AppendResult> appendAsync(
      String streamId, ExpectedVersion expected, List<EventData> events) {
    List<EventData> sealed;
    try {
      sealed = sealed(streamId, events);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return backend.appendAsync(streamId, expected, sealed);
  }

  @Override
  public List<CompletableFuture<AppendResult>> appendAllAsync(
      Map<String, List<EventData>> byStream) {
    return BatchAppends.startPrepared(
        byStream, this::sealed, ready -> EventStoreSinkImpl.startAll(backend, ready));
  }

  /** The events with their payloads encrypted under the stream's key, when shredding is on. */
  private List<EventData> sealed(String streamId, List<EventData> events) {
    if (keys == null) {
      return events;
    }
    if (streamId == null) {
      throw new IllegalArgumentException("streamId must not be null");
    }
    byte[] key = keys.keyFor(streamId);
    List<EventData> sealed = new ArrayList<>(events.size());
    for (EventData e : events) {
      sealed.add(
          new EventData(
              e.eventId(),
              e.type(),
              e.schemaVersion(),
              EntityCipher.seal(key, streamId, e.eventId(), e.data()),
              e.occurredAt(),
              e.correlationId(),
              e.causationId()));
    }
    return sealed;
  }

  private List<RecordedEvent> view(List<RecordedEvent> events) {
    if (keys == null && upcasters == null) {
      return events;
    }
    List<RecordedEvent> out = new ArrayList<>(events.size());
    for (RecordedEvent e : events) {
      RecordedEvent plain = keys == null ? e : decrypt(e);
      out.add(upcasters == null ? plain : upcasters.apply(plain));
    }
    return out;
  }

  private RecordedEvent decrypt(RecordedEvent e) {
    if (!EntityCipher.isSealed(e.data())) {
      return e; // stored before crypto-shredding was enabled
    }
    Optional<byte[]> key = keys.find(e.streamId());
    if (key.isEmpty()) {
      return e.asErased();
    }
    return e.withData(
        e.type(),
        e.schemaVersion(),
        EntityCipher.open(key.get(), e.streamId(), e.eventId(), e.data()));
  }

  @Override
  public void erase(String streamId) {
    if (keys == null) {
      EventStore.super.erase(streamId);
    }
    keys.destroy(streamId);
  }

  @Override
  public List<RecordedEvent> readStream(String streamId, long fromVersion, int maxCount) {
    return view(backend.readStream(streamId, fromVersion, maxCount));
  }

  @Override
  public List<RecordedEvent> readStreamBackwards(String streamId, long fromVersion, int maxCount) {
    return view(backend.readStreamBackwards(streamId, fromVersion, maxCount));
  }

  @Override
  public long streamVersion(String streamId) {
    return backend.streamVersion(streamId);
  }

  @Override
  public List<RecordedEvent> readAll(long fromPosition, int maxCount) {
    return view(backend.readAll(fromPosition, maxCount));
  }

  @Override
  public long headPosition() {
    return backend.headPosition();
  }

  @Override
  public long positionAt(Instant time) {
    return backend.positionAt(time);
  }

  @Override
  public void awaitAppend(long position, Duration timeout) throws InterruptedException {
    SubscriptionRunner.awaitAppend(backend, position, timeout);
  }

  @Override
  public void close() {
    backend.close();
  }
}
