package dev.collect.eventstore;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import dev.collect.eventstore.internal.EventStoreSinkImpl;
import dev.collect.eventstore.internal.EventStoreSourceImpl;
import dev.collect.eventstore.internal.FileLogStore;
import dev.collect.eventstore.internal.InMemoryEventStore;
import dev.collect.eventstore.internal.LayeredEventStore;
import dev.collect.eventstore.internal.PostgresEventStore;
import dev.collect.eventstore.internal.SubscriptionRunner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An append-only store of events grouped in entity streams.
 *
 * <p>Guarantees, for every backend:
 *
 * <ul>
 *   <li>An append is atomic: all its events are stored, at consecutive stream versions and
 *       consecutive global positions, or none is. When {@code append} returns, the events are
 *       durable as the backend's durability setting says.
 *   <li>Optimistic concurrency: an append whose {@link ExpectedVersion} does not match the stream
 *       fails with {@link ConcurrencyException} and stores nothing.
 *   <li>Idempotence: an append whose event ids were all stored by an earlier append of the same
 *       stream returns that append's result with {@code duplicate = true} and stores nothing; an
 *       append that repeats only some ids, or ids of another stream, is refused.
 *   <li>Order: global positions start at 0 and increase along the log, without gaps except on
 *       PostgreSQL (where an append that fails after taking its positions leaves them unused); a
 *       reader never sees an event before one with a lower position that is still to appear; within
 *       a stream the global order is the stream order; {@code recordedAt} never decreases along the
 *       global log.
 *   <li>Reads do not block appends. All methods are thread-safe.
 * </ul>
 */
public interface EventStore extends AutoCloseable {

  /** The embedded file log in {@code directory} with default settings (fsync per batch). */
  static FileEventStore file(Path directory) {
    return FileLogStore.open(FileEventStoreConfig.builder(directory).build());
  }

  /**
   * The embedded file log with the given settings.
   *
   * @throws CorruptLogException when the log is damaged (see {@link FileEventStoreConfig#repair()})
   */
  static FileEventStore file(FileEventStoreConfig config) {
    return FileLogStore.open(config);
  }

  /** An event store in memory, lost with the process: for tests. */
  static EventStore inMemory() {
    return new InMemoryEventStore(java.time.Clock.systemUTC());
  }

  /** The PostgreSQL backend (tables created if absent), shared by several processes. */
  static EventStore postgres(PostgresEventStoreConfig config) {
    return PostgresEventStore.open(config);
  }

  /**
   * A pipeline source over the global log of {@code config.store()}: events in global order, each
   * exactly once per run, resuming after the last committed one. See {@link
   * EventStoreSourceConfig}.
   */
  static Source<RecordedEvent> source(EventStoreSourceConfig config) {
    return new EventStoreSourceImpl(config);
  }

  /**
   * A pipeline sink that appends each record as the event {@code mapper} makes of it, one append
   * per stream and batch; thread-safe, and idempotent with stable event ids. See {@link
   * EventStoreSinkConfig}.
   */
  static <T> Sink<T> sink(EventStoreSinkConfig config, Function<Envelope<T>, StreamEvent> mapper) {
    return new EventStoreSinkImpl<>(config, mapper);
  }

  /**
   * Appends {@code events} to {@code streamId} if the stream matches {@code expected}.
   *
   * @throws ConcurrencyException when the expected version does not match, or ids repeat partly
   * @throws StreamErasedException when the stream was erased
   * @throws IllegalArgumentException for an empty stream id, no events, or an event over the limit
   */
  AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events);

  /**
   * Starts an append and returns at once; the future completes as {@link #append} would return or
   * throw. Appends started one after another are stored in that order. The file backend commits the
   * appends in flight together, sharing fsyncs (the writer may take the first before the next is
   * started; the event-store sink hands over a whole batch at once, for one fsync). The default
   * appends synchronously.
   */
  default CompletableFuture<AppendResult> appendAsync(
      String streamId, ExpectedVersion expected, List<EventData> events) {
    try {
      return CompletableFuture.completedFuture(append(streamId, expected, events));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Appends one or more events; see {@link #append(String, ExpectedVersion, List)}. */
  default AppendResult append(String streamId, ExpectedVersion expected, EventData... events) {
    return append(streamId, expected, List.of(events));
  }

  /** Up to {@code maxCount} events of a stream from {@code fromVersion} on, oldest first. */
  List<RecordedEvent> readStream(String streamId, long fromVersion, int maxCount);

  /**
   * Up to {@code maxCount} events of a stream from {@code fromVersion} down, newest first; {@code
   * Long.MAX_VALUE} starts at the newest.
   */
  List<RecordedEvent> readStreamBackwards(String streamId, long fromVersion, int maxCount);

  /**
   * The stream's last version, or {@link ExpectedVersion#NO_STREAM} (-1) when it has no event: what
   * {@link ExpectedVersion#exactly} takes to append only if nothing was appended since.
   */
  long streamVersion(String streamId);

  /** Up to {@code maxCount} events of the global log from {@code fromPosition} on, in order. */
  List<RecordedEvent> readAll(long fromPosition, int maxCount);

  /** The position the next appended event will get: the number of events in the log. */
  long headPosition();

  /**
   * The first position whose event was recorded at or after {@code time}, or {@link
   * #headPosition()} when there is none: the time index.
   */
  long positionAt(Instant time);

  /**
   * Up to {@code maxCount} events recorded in {@code [from, to)}, in global order, starting at
   * {@code fromPosition} or later (pass 0 first, then the position after the last event returned).
   */
  default List<RecordedEvent> readByTime(
      Instant from, Instant to, long fromPosition, int maxCount) {
    long start = Math.max(positionAt(from), fromPosition);
    List<RecordedEvent> out = new ArrayList<>();
    for (RecordedEvent e : readAll(start, maxCount)) {
      if (!e.recordedAt().isBefore(to)) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  /**
   * Destroys the stream's encryption key (crypto-shredding): its events stay in the log, but their
   * payloads can no longer be read (they come back with {@code erased = true}), and the stream
   * takes no new event. Needs {@link #withCryptoShredding(EntityKeyStore)}.
   */
  default void erase(String streamId) {
    throw new UnsupportedOperationException(
        "erase needs crypto-shredding: use store.withCryptoShredding(keys)");
  }

  /**
   * Subscribes {@code handler} to the global log from the position saved in {@code checkpoints}
   * under {@code subscriberName} (0 if none): it first catches up, then follows new appends. The
   * position is saved after each handled batch, so delivery is at-least-once: after a crash the
   * events since the last save are delivered again. Events reach the handler one at a time, in
   * global order, on the subscription's own thread. A handler that throws stops the subscription
   * (see {@link Subscription#failure()}), its checkpoint before the failed event.
   */
  default Subscription subscribe(
      String subscriberName, CheckpointStore checkpoints, EventHandler handler) {
    return SubscriptionRunner.start(this, subscriberName, checkpoints, handler, 512);
  }

  /**
   * This store with upcasters applied on every read: older schema versions come back as the current
   * one. Appends are stored as given.
   */
  default EventStore withUpcasters(Upcasters upcasters) {
    return LayeredEventStore.of(this).withUpcasters(upcasters);
  }

  /**
   * This store with payloads encrypted per stream (AES-GCM, one key per stream kept in {@code
   * keys}), enabling {@link #erase(String)}. Metadata (ids, type, times) stays in clear.
   */
  default EventStore withCryptoShredding(EntityKeyStore keys) {
    return LayeredEventStore.of(this).withCryptoShredding(keys);
  }

  /** Stops appends and releases files and connections; idempotent. */
  @Override
  void close();
}
