package dev.collect.eventstore.internal;

import dev.collect.eventstore.AppendResult;
import dev.collect.eventstore.CorruptLogException;
import dev.collect.eventstore.EventData;
import dev.collect.eventstore.EventStoreException;
import dev.collect.eventstore.ExpectedVersion;
import dev.collect.eventstore.FileEventStore;
import dev.collect.eventstore.FileEventStoreConfig;
import dev.collect.eventstore.RecordedEvent;
import dev.collect.eventstore.RecoveryReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded file backend: a segmented append-only log written by one group-commit thread ({@link
 * GroupCommitWriter}), an in-memory index rebuilt from the log on open ({@link LogIndex}), and
 * lock-free positional reads of what the writer has published.
 */
public final class FileLogStore implements FileEventStore, NotifyingStore, BatchAppends {
  private static final Logger LOG = LoggerFactory.getLogger(FileLogStore.class);

  private final FileEventStoreConfig config;
  private final FileChannel lockChannel;
  private final FileLock lock;
  final LogIndex index;
  private final GroupCommitWriter writer;
  private final RecoveryReport recoveryReport;
  // The writer thread's own cursor, for reading back events whose ids it must confirm.
  private RecordCursor writerCursor;

  private FileLogStore(FileEventStoreConfig config) throws IOException {
    this.config = config;
    Files.createDirectories(config.directory());
    this.lockChannel =
        FileChannel.open(
            config.directory().resolve("store.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      acquired = null; // held by this very process
    }
    if (acquired == null) {
      lockChannel.close();
      throw new EventStoreException(
          "event store " + config.directory() + " is open in another process: close it first");
    }
    this.lock = acquired;
    try {
      this.index = new LogIndex();
      LogRecovery.Result recovered =
          LogRecovery.recover(config.directory(), config.repair(), index);
      this.recoveryReport = recovered.report();
      RecoveryMeters.record(config.meterRegistry(), config.directory(), recoveryReport);
      this.writer =
          new GroupCommitWriter(config, index, recovered.segments(), this::eventForWriter);
    } catch (IOException | RuntimeException e) {
      release();
      throw e;
    }
  }

  /** Opens (creating, recovering and indexing) the log in the configured directory. */
  public static FileLogStore open(FileEventStoreConfig config) {
    try {
      FileLogStore store = new FileLogStore(config);
      LOG.info(
          "event store {} open: {} events in {} streams",
          config.directory(),
          store.index.head(),
          store.index.streamCount());
      return store;
    } catch (IOException e) {
      throw new EventStoreException(
          "cannot open event store " + config.directory() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
    CompletableFuture<AppendResult> done = appendAsync(streamId, expected, events);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return done.get();
        } catch (InterruptedException e) {
          // The append is already queued: wait for its outcome, then restore the flag.
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new EventStoreException("append to stream '" + streamId + "' failed", e.getCause());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public CompletableFuture<AppendResult> appendAsync(
      String streamId, ExpectedVersion expected, List<EventData> events) {
    try {
      validate(streamId, events);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return writer.submit(streamId, expected, List.copyOf(events));
  }

  @Override
  public List<CompletableFuture<AppendResult>> appendAllAsync(
      Map<String, List<EventData>> byStream) {
    return BatchAppends.startPrepared(
        byStream,
        (streamId, events) -> {
          validate(streamId, events);
          return List.copyOf(events);
        },
        writer::submitAll);
  }

  private void validate(String streamId, List<EventData> events) {
    Appends.validate(streamId, events, config.maxEventBytes());
    long bytes = RecordCodec.sizeBound(streamId, events);
    if (bytes > (long) config.maxGroupCommitBytes() + config.maxEventBytes()) {
      // One append is one record written at once: keep it within what a group commit may hold.
      throw new IllegalArgumentException(
          "append of about "
              + bytes
              + " bytes exceeds maxGroupCommitBytes + maxEventBytes ("
              + ((long) config.maxGroupCommitBytes() + config.maxEventBytes())
              + "): split it into several appends");
    }
  }

  @Override
  public List<RecordedEvent> readStream(String streamId, long fromVersion, int maxCount) {
    return readStream(streamId, fromVersion, maxCount, 1);
  }

  @Override
  public List<RecordedEvent> readStreamBackwards(String streamId, long fromVersion, int maxCount) {
    return readStream(streamId, fromVersion, maxCount, -1);
  }

  /**
   * Up to {@code maxCount} published events of a stream from {@code fromVersion}, by {@code step}.
   */
  private List<RecordedEvent> readStream(
      String streamId, long fromVersion, int maxCount, int step) {
    long head = index.head();
    LongArray positions = index.stream(streamId);
    List<RecordedEvent> out = new ArrayList<>();
    if (positions == null) {
      return out;
    }
    int n = publishedCount(positions, head);
    long v = step > 0 ? Math.max(0, fromVersion) : Math.min(fromVersion, n - 1L);
    try (RecordCursor cursor = new RecordCursor()) {
      for (; v >= 0 && v < n && out.size() < maxCount; v += step) {
        out.add(cursor.event(positions.get((int) v)));
      }
    }
    return out;
  }

  @Override
  public long streamVersion(String streamId) {
    long head = index.head();
    LongArray positions = index.stream(streamId);
    return positions == null ? -1 : publishedCount(positions, head) - 1L;
  }

  /** How many of a stream's events readers may see: the writer may have indexed more. */
  private static int publishedCount(LongArray positions, long head) {
    int n = positions.size();
    while (n > 0 && positions.get(n - 1) >= head) {
      n--;
    }
    return n;
  }

  @Override
  public List<RecordedEvent> readAll(long fromPosition, int maxCount) {
    long head = index.head();
    // At most head - fromPosition events: sized once (up to a bound) instead of grown by copies.
    List<RecordedEvent> out =
        new ArrayList<>(
            (int) Math.min(Math.min(maxCount, head - Math.max(0, fromPosition)), 1 << 16));
    if (fromPosition >= head || maxCount <= 0) {
      return out;
    }
    int records = index.records();
    int record = Math.max(0, index.recordContaining(Math.max(0, fromPosition), records));
    try (RecordCursor cursor = new RecordCursor()) {
      for (; record < records && out.size() < maxCount; record++) {
        if (!cursor.decodeInto(record, fromPosition, head, maxCount, out)) {
          break;
        }
      }
    }
    return out;
  }

  @Override
  public RecoveryReport recoveryReport() {
    return recoveryReport;
  }

  @Override
  public long headPosition() {
    return index.head();
  }

  @Override
  public long positionAt(Instant time) {
    long head = index.head();
    return Math.min(head, index.positionAt(Appends.toMicros(time), head));
  }

  @Override
  public void awaitAppend(long position, Duration timeout) throws InterruptedException {
    index.signal().awaitBeyond(position, timeout);
  }

  @Override
  public void close() {
    writer.close();
    release();
  }

  private void release() {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("cannot release the lock of {}: {}", config.directory(), e.toString());
    }
  }

  /** Writer thread only: the event at {@code position}, which the writer has already written. */
  private RecordedEvent eventForWriter(long position) {
    if (writerCursor == null) {
      writerCursor = new RecordCursor();
    }
    return writerCursor.event(position);
  }

  /**
   * Readers (each with its 1 MiB chunk) kept for the next reading call instead of allocated per
   * call; a reading call takes one, or makes one if none is free, and gives it back.
   */
  private final ArrayBlockingQueue<RecordReader> readers = new ArrayBlockingQueue<>(4);

  /**
   * Decodes records by index, keeping the last one, through one {@link RecordReader} borrowed from
   * {@link #readers} until {@link #close}.
   */
  private final class RecordCursor implements AutoCloseable {
    private final RecordReader reader = borrow();

    private RecordReader borrow() {
      RecordReader r = readers.poll();
      if (r == null) {
        return new RecordReader();
      }
      r.forget(); // a chunk read by another call: not trusted
      return r;
    }

    @Override
    public void close() {
      readers.offer(reader);
    }

    private int cachedRecord = -1;
    private List<RecordedEvent> cached;

    /** The last event decoded: its stream and type strings are reused when they repeat. */
    private RecordedEvent previous;

    RecordedEvent event(long position) {
      int record = index.recordContaining(position, index.records());
      List<RecordedEvent> events = decode(record);
      return events.get((int) (position - events.get(0).position()));
    }

    List<RecordedEvent> decode(int record) {
      if (record == cachedRecord) {
        return cached;
      }
      List<RecordedEvent> events = new ArrayList<>();
      decodeInto(record, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, events);
      cachedRecord = record;
      cached = events;
      return events;
    }

    /**
     * Adds the events of a record from {@code fromPosition} on and below {@code head} to {@code
     * out} while it holds fewer than {@code maxCount}, decoding them straight from the read chunk
     * (events before {@code fromPosition} are skipped, not built); false once {@code head} or
     * {@code maxCount} is reached.
     */
    boolean decodeInto(
        int record, long fromPosition, long head, int maxCount, List<RecordedEvent> out) {
      long location = index.location(record);
      Segment segment = writer.segment(LogIndex.segmentOf(location));
      long offset = LogIndex.offsetOf(location);
      try {
        int length = reader.check(segment.channel, offset, segment.size);
        if (length < 0) {
          throw new CorruptLogException(
              RecordReader.describe(
                      length,
                      offset,
                      segment.path,
                      " is truncated (framing check; CRC32C not verifiable)")
                  + ": the segment was changed on disk; restore it from a backup");
        }
        ByteBuffer body = reader.body(offset, length);
        RecordCodec.Head h = RecordCodec.head(body, previous == null ? null : previous.streamId());
        for (int i = 0; i < h.count(); i++) {
          long position = h.firstPosition() + i;
          if (position >= head || out.size() >= maxCount) {
            return false;
          }
          if (position < fromPosition) {
            RecordCodec.skipEvent(body);
            continue;
          }
          previous = RecordCodec.event(body, h, i, previous);
          out.add(previous);
        }
        return true;
      } catch (IOException e) {
        throw new EventStoreException("cannot read " + segment.path + ": " + e.getMessage(), e);
      }
    }
  }

  /** The segment files of a directory, oldest first. */
  static List<Path> segmentFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(Segment::isSegment)
          .sorted((a, b) -> Long.compare(Segment.baseOf(a), Segment.baseOf(b)))
          .toList();
    }
  }
}
