package dev.collect.eventstore.internal;

import dev.collect.eventstore.AppendResult;
import dev.collect.eventstore.Durability;
import dev.collect.eventstore.EventData;
import dev.collect.eventstore.EventStoreException;
import dev.collect.eventstore.ExpectedVersion;
import dev.collect.eventstore.FileEventStoreConfig;
import dev.collect.eventstore.RecordedEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the log. Each appender encodes its append on its own thread (a {@link
 * RecordCodec.Draft}: the record's bytes and its ids' hashes, without position, time and version).
 * The writer takes every append queued while the previous group was being written, checks expected
 * versions and ids in order, copies each draft once into one buffer with its position, time and
 * version and checksum, writes it with one {@code write} and one {@code fsync} (group commit), then
 * updates the index, publishes the new head and completes the appenders' futures. So concurrent
 * appenders share an fsync, and a reader never sees an event before it is durable. After each fsync
 * it writes the segment's new size into the segment's header, unforced: the next group's fsync
 * makes it durable, so the header never claims bytes that are not on disk, costs no fsync of its
 * own, and lags the log by at most one group after a power loss (none after a process crash).
 *
 * <p>After an I/O failure the state of the file is unknown (a failed fsync may have dropped pages):
 * the writer fails that group and every later append; reopening the store recovers from the log.
 */
final class GroupCommitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  private record Pending(
      String streamId,
      ExpectedVersion expected,
      List<EventData> events,
      RecordCodec.Draft draft,
      CompletableFuture<AppendResult> done) {
    long sizeBound() {
      return draft.length();
    }
  }

  private record Written(Pending pending, AppendResult result, long offsetInBuffer, long micros) {}

  private static final Pending STOP = new Pending(null, null, null, null, null);

  private final FileEventStoreConfig config;
  private final LogIndex index;
  // Reads back a logged event, to confirm an id the index only knows by its hash.
  private final LongFunction<RecordedEvent> eventAt;
  private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();

  /** The longest a group waits for appenders of the previous group to come back. */
  private static final long MAX_COMPANION_WAIT_NANOS = 1_000_000;

  private static final int RECENT_GROUPS = 16;

  // Writer thread only: how many appends shared each of the recent fsyncs, and how long the last
  // one took.
  private final int[] recentGroupSizes = new int[RECENT_GROUPS];
  private int nextRecent;
  private long lastForceNanos;
  private final Thread thread;
  private volatile Segment[] segments;
  private volatile boolean closed;
  private volatile Throwable failure;
  private ByteBuffer buffer;

  GroupCommitWriter(
      FileEventStoreConfig config,
      LogIndex index,
      List<Segment> segments,
      LongFunction<RecordedEvent> eventAt) {
    this.config = config;
    this.index = index;
    this.eventAt = eventAt;
    this.segments = segments.toArray(new Segment[0]);
    this.buffer = ByteBuffer.allocateDirect(Math.min(config.maxGroupCommitBytes(), 1 << 20));
    this.thread = new Thread(this::run, "collect-eventstore-writer-" + config.directory());
    thread.setDaemon(true);
    thread.start();
  }

  Segment segment(int number) {
    return segments[number];
  }

  CompletableFuture<AppendResult> submit(
      String streamId, ExpectedVersion expected, List<EventData> events) {
    CompletableFuture<AppendResult> done = new CompletableFuture<>();
    if (closed || failure != null) {
      done.completeExceptionally(unavailable());
      return done;
    }
    // Encoded here, on the appender's thread, in parallel with the writer's work for others.
    RecordCodec.Draft draft = RecordCodec.draft(streamId, events);
    queue.add(new Pending(streamId, expected, events, draft, done));
    if (closed || failure != null || !thread.isAlive()) {
      // The writer may have drained the queue for the last time before this append arrived.
      failRemaining();
    }
    return done;
  }

  /**
   * Queues every append at once (one atomic {@code addAll}), so that one group can take them all.
   */
  List<CompletableFuture<AppendResult>> submitAll(Map<String, List<EventData>> byStream) {
    List<Pending> pendings = new ArrayList<>(byStream.size());
    List<CompletableFuture<AppendResult>> futures = new ArrayList<>(byStream.size());
    for (Map.Entry<String, List<EventData>> e : byStream.entrySet()) {
      CompletableFuture<AppendResult> done = new CompletableFuture<>();
      futures.add(done);
      if (closed || failure != null) {
        done.completeExceptionally(unavailable());
        continue;
      }
      RecordCodec.Draft draft = RecordCodec.draft(e.getKey(), e.getValue());
      pendings.add(new Pending(e.getKey(), ExpectedVersion.any(), e.getValue(), draft, done));
    }
    queue.addAll(pendings);
    if (closed || failure != null || !thread.isAlive()) {
      failRemaining();
    }
    return futures;
  }

  private EventStoreException unavailable() {
    return failure != null
        ? new EventStoreException(
            "the event store stopped after an I/O failure: reopen it to recover", failure)
        : new EventStoreException("the event store is closed");
  }

  private void run() {
    try {
      while (true) {
        List<Pending> group = nextGroup();
        if (group == null) {
          return;
        }
        writeGroup(group);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      // An Error (out of memory...) must not leave appenders waiting for a dead thread.
      LOG.error("event store {} writer died: {}", config.directory(), t.toString());
      failure = t;
    } finally {
      failRemaining();
    }
  }

  private List<Pending> nextGroup() throws InterruptedException {
    Pending first = queue.take();
    if (first == STOP) {
      return null;
    }
    List<Pending> group = new ArrayList<>();
    group.add(first);
    long bytes = first.sizeBound();
    Pending next;
    while ((next = queue.peek()) != null && next != STOP) {
      if (bytes + next.sizeBound() > config.maxGroupCommitBytes()) {
        return group;
      }
      group.add(queue.poll());
      bytes += next.sizeBound();
    }
    awaitCompanions(group, bytes);
    return group;
  }

  /**
   * Appenders whose appends completed with a recent fsync are usually about to append again: when
   * fewer have come back than the most that shared one of the last 16 fsyncs, wait a little for the
   * rest (at most half an fsync, and 1 ms), so that they share the next one instead of queueing
   * behind it. The most, not the last: an appender that missed one group would otherwise shrink
   * every later group to the ones that happened to be ready. A lone appender never waits.
   */
  private void awaitCompanions(List<Pending> group, long bytes) throws InterruptedException {
    int expected = 1;
    for (int size : recentGroupSizes) {
      expected = Math.max(expected, size);
    }
    if (config.durability() != Durability.FSYNC || group.size() >= expected) {
      return;
    }
    long deadline = System.nanoTime() + Math.min(lastForceNanos / 2, MAX_COMPANION_WAIT_NANOS);
    while (group.size() < expected) {
      long left = deadline - System.nanoTime();
      Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
      if (next == null) {
        return;
      }
      if (next == STOP || bytes + next.sizeBound() > config.maxGroupCommitBytes()) {
        queue.addFirst(next); // for the next group, or the end
        return;
      }
      group.add(next);
      bytes += next.sizeBound();
    }
  }

  private void writeGroup(List<Pending> group) {
    if (failure != null) {
      group.forEach(p -> p.done().completeExceptionally(unavailable()));
      return;
    }
    List<Written> written = new ArrayList<>();
    Map<String, Long> versions = new HashMap<>();
    Map<String, Appends.StoredId> ids = new HashMap<>();
    long nextPosition = index.head();
    long micros = Math.max(Appends.toMicros(config.clock().instant()), index.lastTimeMicros());
    buffer.clear();
    for (Pending p : group) {
      int start = buffer.position();
      try {
        long[] hashes = p.draft().idHashes();
        List<EventData> events = p.events();
        int[] next = {0}; // duplicateOf looks the ids up in the order of the events
        AppendResult duplicate =
            Appends.duplicateOf(
                p.streamId(),
                events,
                id -> {
                  Appends.StoredId s = ids.isEmpty() ? null : ids.get(id);
                  return s != null
                      ? s
                      : index.storedId(id, hashOf(id, events, hashes, next), eventAt);
                });
        if (duplicate != null) {
          written.add(new Written(p, duplicate, -1, micros));
          continue;
        }
        long current = versions.getOrDefault(p.streamId(), index.writerStreamVersion(p.streamId()));
        p.expected().check(p.streamId(), current);
        ensureCapacity(p.draft().length()); // bounded by FileLogStore.append
        long offset = buffer.position();
        RecordCodec.seal(buffer, p.draft(), nextPosition, micros, current + 1);
        if (group.size() > 1) { // a later append of this group may repeat these ids
          for (int i = 0; i < events.size(); i++) {
            ids.put(
                events.get(i).eventId(),
                new Appends.StoredId(p.streamId(), current + 1 + i, nextPosition + i));
          }
        }
        int n = p.events().size();
        written.add(
            new Written(
                p,
                new AppendResult(p.streamId(), current + 1, current + n, nextPosition, false),
                offset,
                micros));
        versions.put(p.streamId(), current + n);
        nextPosition += n;
      } catch (RuntimeException e) {
        buffer.position(Math.min(start, buffer.position())); // drop a half-encoded record
        p.done().completeExceptionally(e);
      }
    }
    try {
      if (buffer.position() > 0) {
        Segment segment = rollIfFull();
        long base = segment.size;
        buffer.flip();
        while (buffer.hasRemaining()) {
          segment.channel.write(buffer, base + buffer.position());
        }
        if (config.durability() == Durability.FSYNC) {
          long forceStart = System.nanoTime();
          segment.channel.force(false);
          lastForceNanos = System.nanoTime() - forceStart;
          recentGroupSizes[nextRecent] = group.size();
          nextRecent = (nextRecent + 1) % RECENT_GROUPS;
        }
        segment.size = base + buffer.limit();
        // Only now, with the bytes on disk (or handed to the OS), may the header claim them.
        segment.commit(segment.size);
        int number = segments.length - 1;
        for (Written w : written) {
          if (w.offsetInBuffer() >= 0) {
            AppendResult r = w.result();
            index.addRecord(
                r.firstPosition(),
                LogIndex.location(number, base + w.offsetInBuffer()),
                w.micros());
            index.addEvents(r.streamId(), w.pending().draft().idHashes(), r.firstPosition());
          }
        }
        index.publish(nextPosition);
      }
      for (Written w : written) {
        w.pending().done().complete(w.result());
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("event store {} cannot write its log: {}", config.directory(), e.toString());
      failure = e;
      for (Written w : written) {
        w.pending().done().completeExceptionally(unavailable());
      }
    }
  }

  /** The id's precomputed hash, looking at the event after the one looked up before first. */
  private static long hashOf(String id, List<EventData> events, long[] hashes, int[] next) {
    int i = next[0];
    if (i < hashes.length && events.get(i).eventId().equals(id)) {
      next[0] = i + 1;
      return hashes[i];
    }
    return EventIdIndex.hash(id);
  }

  private void ensureCapacity(int bytes) {
    if (buffer.remaining() < bytes) {
      ByteBuffer bigger =
          ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
      buffer.flip();
      bigger.put(buffer);
      buffer = bigger;
    }
  }

  private Segment rollIfFull() throws IOException {
    Segment active = segments[segments.length - 1];
    if (active.size < config.segmentBytes()) {
      return active;
    }
    active.commit(active.size);
    active.channel.force(true);
    Segment next = Segment.create(config.directory(), index.head());
    forceDirectory(config.directory());
    HeadFile.write(config.directory(), next.basePosition);
    Segment[] grown = java.util.Arrays.copyOf(segments, segments.length + 1);
    grown[grown.length - 1] = next;
    segments = grown;
    return next;
  }

  static void forceDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private void failRemaining() {
    Pending p;
    while ((p = queue.poll()) != null) {
      if (p != STOP) {
        p.done().completeExceptionally(unavailable());
      }
    }
  }

  void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Segment s : segments) {
      try {
        if (s.channel.isOpen() && s == segments[segments.length - 1]) {
          s.channel.force(true);
        }
        s.channel.close();
      } catch (IOException e) {
        LOG.warn("cannot close {}: {}", s.path, e.toString());
      }
    }
  }
}
