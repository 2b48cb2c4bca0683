package dev.collect.eventstore.internal;

import dev.collect.eventstore.AppendResult;
import dev.collect.eventstore.EventData;
import dev.collect.eventstore.EventStore;
import dev.collect.eventstore.EventStoreException;
import dev.collect.eventstore.ExpectedVersion;
import dev.collect.eventstore.FileEventStoreConfig;
import dev.collect.eventstore.RecordedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/** The in-memory backend: lists under a read-write lock held only for the copy. */
public final class InMemoryEventStore implements EventStore, NotifyingStore {
  private final Clock clock;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final List<RecordedEvent> log = new ArrayList<>();
  private final Map<String, List<RecordedEvent>> streams = new HashMap<>();
  private final Map<String, RecordedEvent> ids = new HashMap<>();
  private final AppendSignal signal = new AppendSignal();
  private Instant lastRecorded = Instant.EPOCH;
  private volatile boolean closed;

  public InMemoryEventStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
    Appends.validate(streamId, events, FileEventStoreConfig.DEFAULT_MAX_EVENT_BYTES);
    checkOpen();
    lock.writeLock().lock();
    try {
      AppendResult duplicate =
          Appends.duplicateOf(
              streamId,
              events,
              id -> {
                RecordedEvent e = ids.get(id);
                return e == null
                    ? null
                    : new Appends.StoredId(e.streamId(), e.streamVersion(), e.position());
              });
      if (duplicate != null) {
        return duplicate;
      }
      List<RecordedEvent> stream = streams.computeIfAbsent(streamId, s -> new ArrayList<>());
      expected.check(streamId, stream.size() - 1L);
      Instant now = Appends.micros(clock.instant());
      lastRecorded = now.isAfter(lastRecorded) ? now : lastRecorded;
      long firstVersion = stream.size();
      long firstPosition = log.size();
      for (EventData e : events) {
        RecordedEvent r =
            new RecordedEvent(
                streamId,
                stream.size(),
                log.size(),
                e.eventId(),
                e.type(),
                e.schemaVersion(),
                e.data().clone(),
                e.occurredAt(),
                lastRecorded,
                e.correlationId(),
                e.causationId(),
                false);
        log.add(r);
        stream.add(r);
        ids.put(r.eventId(), r);
      }
      signal.published(log.size());
      return new AppendResult(
          streamId, firstVersion, firstVersion + events.size() - 1, firstPosition, false);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public List<RecordedEvent> readStream(String streamId, long fromVersion, int maxCount) {
    return read(() -> slice(stream(streamId), fromVersion, maxCount));
  }

  @Override
  public List<RecordedEvent> readStreamBackwards(String streamId, long fromVersion, int maxCount) {
    return read(
        () -> {
          List<RecordedEvent> stream = stream(streamId);
          List<RecordedEvent> out = new ArrayList<>();
          for (long v = Math.min(fromVersion, stream.size() - 1L);
              v >= 0 && out.size() < maxCount;
              v--) {
            out.add(stream.get((int) v));
          }
          return out;
        });
  }

  @Override
  public long streamVersion(String streamId) {
    return read(() -> stream(streamId).size() - 1L);
  }

  @Override
  public List<RecordedEvent> readAll(long fromPosition, int maxCount) {
    return read(() -> slice(log, fromPosition, maxCount));
  }

  @Override
  public long headPosition() {
    return read(() -> (long) log.size());
  }

  @Override
  public long positionAt(Instant time) {
    return read(
        () -> {
          int lo = 0;
          int hi = log.size();
          while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (log.get(mid).recordedAt().isBefore(time)) {
              lo = mid + 1;
            } else {
              hi = mid;
            }
          }
          return (long) lo;
        });
  }

  /** What {@code query} answers under the read lock. */
  private <T> T read(Supplier<T> query) {
    lock.readLock().lock();
    try {
      return query.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The events of a stream (none if it does not exist); call under the lock. */
  private List<RecordedEvent> stream(String streamId) {
    return streams.getOrDefault(streamId, List.of());
  }

  /** A copy of up to {@code maxCount} events of {@code events} from index {@code from} on. */
  private static List<RecordedEvent> slice(List<RecordedEvent> events, long from, int maxCount) {
    int start = (int) Math.min(Math.max(0, from), events.size());
    return List.copyOf(
        events.subList(start, (int) Math.min(events.size(), start + (long) maxCount)));
  }

  @Override
  public void awaitAppend(long position, Duration timeout) throws InterruptedException {
    signal.awaitBeyond(position, timeout);
  }

  private void checkOpen() {
    if (closed) {
      throw new EventStoreException("the event store is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
