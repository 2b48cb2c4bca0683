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
    lock.readLock().lock();
    try {
      List<RecordedEvent> stream = streams.getOrDefault(streamId, List.of());
      int from = (int) Math.min(Math.max(0, fromVersion), stream.size());
      return List.copyOf(
          stream.subList(from, (int) Math.min(stream.size(), from + (long) maxCount)));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<RecordedEvent> readStreamBackwards(String streamId, long fromVersion, int maxCount) {
    lock.readLock().lock();
    try {
      List<RecordedEvent> stream = streams.getOrDefault(streamId, List.of());
      List<RecordedEvent> out = new ArrayList<>();
      for (long v = Math.min(fromVersion, stream.size() - 1L);
          v >= 0 && out.size() < maxCount;
          v--) {
        out.add(stream.get((int) v));
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long streamVersion(String streamId) {
    lock.readLock().lock();
    try {
      return streams.getOrDefault(streamId, List.of()).size() - 1L;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<RecordedEvent> readAll(long fromPosition, int maxCount) {
    lock.readLock().lock();
    try {
      int from = (int) Math.min(Math.max(0, fromPosition), log.size());
      return List.copyOf(log.subList(from, (int) Math.min(log.size(), from + (long) maxCount)));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long headPosition() {
    lock.readLock().lock();
    try {
      return log.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long positionAt(Instant time) {
    lock.readLock().lock();
    try {
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
      return lo;
    } finally {
      lock.readLock().unlock();
    }
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
