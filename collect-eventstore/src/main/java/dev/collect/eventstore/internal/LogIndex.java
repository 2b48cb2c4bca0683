package dev.collect.eventstore.internal;

import dev.collect.eventstore.RecordedEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The in-memory index of the file log, rebuilt from the segments on every open: where each record
 * is, when it was recorded (the time index: non-decreasing), the positions of each stream, and (for
 * idempotent appends) where each event id is. Only the writer thread changes it; readers see what
 * was {@link #publish published}.
 */
final class LogIndex {
  private static final long OFFSET_MASK = (1L << 40) - 1;

  private final LongArray locations = new LongArray(1024);
  private final LongArray times = new LongArray(1024);
  private final LongArray firstPositions = new LongArray(1024);
  private final Map<String, LongArray> streams = new ConcurrentHashMap<>();
  private final EventIdIndex ids = new EventIdIndex();
  private final AppendSignal signal = new AppendSignal();
  private volatile long head;
  private long lastTimeMicros = Long.MIN_VALUE;

  static long location(int segment, long offset) {
    return ((long) segment << 40) | offset;
  }

  static int segmentOf(long location) {
    return (int) (location >>> 40);
  }

  static long offsetOf(long location) {
    return location & OFFSET_MASK;
  }

  /** Writer: a record starting at {@code firstPosition}. Published by {@link #publish}. */
  void addRecord(long firstPosition, long location, long timeMicros) {
    locations.add(location);
    times.add(timeMicros);
    firstPositions.add(firstPosition); // last: readers size the arrays by this one
    lastTimeMicros = Math.max(lastTimeMicros, timeMicros);
  }

  /** Writer: an event of the record added last. */
  void addEvent(String streamId, String eventId, long position) {
    LongArray stream = streams.get(streamId);
    if (stream == null) {
      stream = new LongArray(8);
      streams.put(streamId, stream);
    }
    ids.add(eventId, position);
    stream.add(position);
  }

  /**
   * Writer: the events of the record added last, one stream, ids as {@link EventIdIndex#hash}es.
   */
  void addEvents(String streamId, long[] idHashes, long firstPosition) {
    LongArray stream = streams.get(streamId);
    if (stream == null) {
      stream = new LongArray(8);
      streams.put(streamId, stream);
    }
    for (int i = 0; i < idHashes.length; i++) {
      ids.add(idHashes[i], firstPosition + i);
      stream.add(firstPosition + i);
    }
  }

  /** Writer: makes every position below {@code newHead} visible to readers. */
  void publish(long newHead) {
    head = newHead;
    signal.published(newHead);
  }

  /** Writer: the newest recorded time, so time never goes backwards. */
  long lastTimeMicros() {
    return lastTimeMicros;
  }

  /** Writer: the stream's last version including unpublished records. */
  long writerStreamVersion(String streamId) {
    LongArray stream = streams.get(streamId);
    return stream == null ? -1 : stream.size() - 1L;
  }

  /** Writer: where an event id is stored, or null; {@code eventAt} reads an event of the log. */
  Appends.StoredId storedId(String eventId, LongFunction<RecordedEvent> eventAt) {
    return storedId(eventId, EventIdIndex.hash(eventId), eventAt);
  }

  /** {@link #storedId(String, LongFunction)} with the id's hash computed before. */
  Appends.StoredId storedId(String eventId, long hash, LongFunction<RecordedEvent> eventAt) {
    RecordedEvent[] found = new RecordedEvent[1];
    ids.find(
        hash,
        position -> {
          RecordedEvent event = eventAt.apply(position);
          found[0] = event.eventId().equals(eventId) ? event : null;
          return found[0] != null;
        });
    RecordedEvent event = found[0];
    return event == null
        ? null
        : new Appends.StoredId(event.streamId(), event.streamVersion(), event.position());
  }

  long head() {
    return head;
  }

  int records() {
    return firstPositions.size();
  }

  long location(int record) {
    return locations.get(record);
  }

  int recordContaining(long position, int records) {
    return firstPositions.floorIndex(position, records);
  }

  long positionAt(long micros, long head) {
    int n = records();
    int record = times.ceilingIndex(micros, n);
    return record < n ? firstPositions.get(record) : head;
  }

  LongArray stream(String streamId) {
    return streams.get(streamId);
  }

  int streamCount() {
    return streams.size();
  }

  AppendSignal signal() {
    return signal;
  }
}
