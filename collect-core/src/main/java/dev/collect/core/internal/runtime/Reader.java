package dev.collect.core.internal.runtime;

import dev.collect.core.CollectException;
import dev.collect.core.DeadLetter;
import dev.collect.core.Envelope;
import dev.collect.core.ErrorClassifier;
import dev.collect.core.Position;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import dev.collect.core.spi.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The reader thread's work: polls the source, hands batches to the workers by key, and every commit
 * interval has the sinks flushed (on a flusher thread) and then commits the newest position settled
 * before that flush began. The source is only ever touched from this thread.
 */
final class Reader {
  private static final long POLL_TIMEOUT_MILLIS = 100;
  private static final long OFFER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final PipelineSpec spec;
  private final Worker.Runtime runtime;
  private final Worker[] workers;
  private final Source<?> source;
  private final SettlementTracker tracker = new SettlementTracker();
  private final PreRouting preRouting;
  private final Backoff backoff;
  private final ConcurrentLinkedQueue<FlushRequest> flushRequests = new ConcurrentLinkedQueue<>();
  private final long commitIntervalNanos;
  private volatile boolean stopRequested;
  private boolean sourceFinished;
  private volatile long stopDeadlineNanos;
  private long lastCommitNanos = System.nanoTime();
  private Position lastCommitted;
  private long flushFailingSince;
  private int nullKeyRound;
  private PendingFlush pending;
  private ExecutorService flusher;

  Reader(PipelineSpec spec, Worker.Runtime runtime, Worker[] workers) {
    this.spec = spec;
    this.runtime = runtime;
    this.workers = workers;
    this.source = spec.source();
    this.backoff = new Backoff(spec.retry());
    this.commitIntervalNanos = spec.commitInterval().toNanos();
    this.preRouting = PreRouting.of(spec, runtime, workers[0]);
  }

  void requestStop(long deadlineNanos) {
    stopDeadlineNanos = deadlineNanos;
    stopRequested = true;
  }

  boolean stopRequested() {
    return stopRequested;
  }

  /** True once {@link #readUntilDone()} returned because a bounded source has no more records. */
  /**
   * Runs the collectors' end of input on worker 0, once every worker thread has ended (see {@link
   * Worker#endOfInput}).
   */
  void endOfInput() {
    workers[0].endOfInput(preRouting);
  }

  boolean sourceFinished() {
    return sourceFinished;
  }

  /** When a stop must have drained, or 0 for no limit. */
  long stopDeadlineNanos() {
    return stopDeadlineNanos;
  }

  CompletableFuture<Void> requestFlush() {
    FlushRequest request = new FlushRequest(tracker.nextSequence() - 1);
    flushRequests.add(request);
    return request.future;
  }

  /**
   * At most until the next commit is due: a source that releases records only when earlier ones are
   * acknowledged (an MQTT broker's in-flight window) would otherwise wait out the whole poll.
   */
  private Duration pollTimeout() {
    long untilCommit = commitIntervalNanos - (System.nanoTime() - lastCommitNanos);
    long millis = Math.max(1, Math.min(POLL_TIMEOUT_MILLIS, untilCommit / 1_000_000));
    return Duration.ofMillis(millis);
  }

  /** Polls and dispatches until the source is finished, a stop is requested, or a failure. */
  void readUntilDone() throws Exception {
    int maxRecords = spec.batch().maxRecords();
    long maxBytes = spec.batch().maxBytes();
    long sourceFailingSince = 0;
    int attempt = 0;
    while (!stopRequested && !runtime.failed()) {
      commitSettled(false);
      List<? extends Envelope<?>> batch;
      try {
        batch = source.poll(maxRecords, maxBytes, pollTimeout());
        sourceFailingSince = 0;
        attempt = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (spec.classifier().classify(e) == ErrorClassifier.Kind.TRANSIENT) {
          long now = System.nanoTime();
          sourceFailingSince = sourceFailingSince == 0 ? now : sourceFailingSince;
          if (now - sourceFailingSince < spec.retry().outageBudget().toNanos()) {
            runtime.metrics().retried(dev.collect.core.Stage.SOURCE);
            backoff.pause(++attempt, 10_000);
            continue;
          }
        }
        throw new FatalPipelineError(
            "source '"
                + source.name()
                + "' failed: "
                // Collect's own exceptions carry messages written without secrets or records.
                + (e instanceof dev.collect.core.CollectException
                    ? e.toString()
                    : e.getClass().getName()),
            e);
      }
      if (batch.isEmpty()) {
        if (source.isFinished()) {
          sourceFinished = true;
          return;
        }
        continue;
      }
      runtime.metrics().received(batch.size());
      dispatch(batch);
    }
  }

  /**
   * Hands a polled batch to the workers: each record to the worker of its key, records without a
   * key spread in contiguous chunks. With a routing step, the steps up to it run here first and
   * their outputs are routed by the keys they leave.
   */
  @SuppressWarnings("unchecked") // the source's envelopes, untyped from here on
  private void dispatch(List<? extends Envelope<?>> batch) throws Exception {
    Ticket ticket = tracker.open(batch.get(batch.size() - 1).position(), batch.size());
    List<Envelope<?>> records = (List<Envelope<?>>) batch;
    List<Envelope<?>> origins = null;
    List<DeadLetter> letters = List.of();
    if (preRouting != null) {
      preRouting.run(batch);
      records = preRouting.outputs().records;
      origins = preRouting.outputs().origins;
      letters = preRouting.deadLetters();
    }
    int n = workers.length;
    Part[] parts = new Part[n];
    int size = records.size();
    int round = nullKeyRound++;
    for (int i = 0; i < size; i++) {
      Envelope<?> record = records.get(i);
      Object key = record.key();
      // Keyed records stay in their lane; unkeyed ones are spread in contiguous chunks.
      int lane =
          n == 1 ? 0 : key == null ? (round + (int) ((long) i * n / size)) % n : lane(key, n);
      if (parts[lane] == null) {
        parts[lane] = new Part(origins != null, n == 1 ? size : size / n + 16);
      }
      parts[lane].add(record, origins == null ? null : origins.get(i));
    }
    if (!letters.isEmpty() && parts[0] == null) {
      parts[0] = new Part(true, 0);
    }
    int count = 0;
    for (Part part : parts) {
      count += part == null ? 0 : 1;
    }
    if (count == 0) {
      // Every record was filtered before the routing point: nothing is left to settle.
      ticket.parts(1);
      ticket.partSettled();
      return;
    }
    ticket.parts(count);
    for (int w = 0; w < n; w++) {
      if (parts[w] != null) {
        offer(workers[w], parts[w].item(ticket, w == 0 ? letters : List.of()));
      }
    }
  }

  /** One worker's share of a batch, being built. */
  private static final class Part {
    final List<Envelope<?>> records;
    final List<Envelope<?>> origins;
    long bytes;

    Part(boolean withOrigins, int capacity) {
      records = new ArrayList<>(capacity);
      origins = withOrigins ? new ArrayList<>(capacity) : null;
    }

    void add(Envelope<?> record, Envelope<?> origin) {
      records.add(record);
      if (origins != null) {
        origins.add(origin);
      }
      bytes += record.sizeEstimate();
    }

    WorkItem item(Ticket ticket, List<DeadLetter> letters) {
      return new WorkItem(ticket, records, origins, letters, bytes);
    }
  }

  private static int lane(Object key, int n) {
    // Common keys first: an interface check that misses costs a scan per record (see
    // Envelope.sizeEstimate).
    if (!(key instanceof String || key instanceof Number)
        && key instanceof dev.collect.core.spi.LaneKey laneKey) {
      return Math.floorMod(laneKey.lane(), n);
    }
    int h = key.hashCode() * 0x9E3779B9;
    return Math.floorMod(h ^ (h >>> 16), n);
  }

  /** Waits for room in the worker's queue (backpressure), committing meanwhile. */
  private void offer(Worker worker, WorkItem item) throws Exception {
    while (!worker.queue.offer(item, OFFER_WAIT_NANOS)) {
      if (runtime.failed()) {
        return;
      }
      commitSettled(false);
    }
  }

  /**
   * Every commit interval (or when forced, when a flush was asked for, or when the first batch
   * settled): flushes the sinks, then commits the newest position whose records were all settled
   * before the flush began. Unless forced, the flush runs on the flusher thread so that a slow
   * flush (an fsync) does not stall polling; the commit itself always happens here, on the reader
   * thread, once that flush has completed. One flush is in flight at a time.
   */
  void commitSettled(boolean force) throws Exception {
    if (pending != null) {
      if (!force && !pending.done.isDone()) {
        return;
      }
      PendingFlush finished = pending;
      pending = null;
      Throwable error = finished.await();
      afterFlush(finished.position, finished.settledThrough, finished.startedNanos, error, false);
      if (!force) {
        return;
      }
    }
    long now = System.nanoTime();
    FlushRequest request = flushRequests.peek();
    boolean flushDue = request != null && tracker.settledThrough() >= request.sequence;
    // The first settled batch is committed at once: a process killed within its first interval
    // would otherwise replay everything it had written.
    boolean first = lastCommitted == null && tracker.committable() != null;
    if (!force && !flushDue && !first && now - lastCommitNanos < commitIntervalNanos) {
      return;
    }
    lastCommitNanos = now;
    long settledThrough = tracker.settledThrough();
    Position position = tracker.committable();
    if (!force) {
      pending = new PendingFlush(position, settledThrough, now);
      flusher().execute(pending);
      return;
    }
    Throwable error = null;
    try {
      flushSinks();
    } catch (Exception e) {
      error = e;
    }
    afterFlush(position, settledThrough, now, error, true);
  }

  /** Commits {@code position} after a successful flush, or applies the outage policy. */
  private void afterFlush(
      Position position, long settledThrough, long startedNanos, Throwable error, boolean force)
      throws Exception {
    if (error != null) {
      if (error instanceof Error fatal) {
        throw fatal;
      }
      ErrorClassifier.Kind kind = spec.classifier().classify(error);
      flushFailingSince = flushFailingSince == 0 ? startedNanos : flushFailingSince;
      if (force
          || kind != ErrorClassifier.Kind.TRANSIENT
          || System.nanoTime() - flushFailingSince >= spec.retry().outageBudget().toNanos()) {
        throw new FatalPipelineError(
            "flushing the sinks failed (" + error.getClass().getName() + "); nothing was committed",
            error);
      }
      return;
    }
    flushFailingSince = 0;
    if (position != null && !Objects.equals(position, lastCommitted)) {
      source.commit(position);
      lastCommitted = position;
    }
    FlushRequest request;
    while ((request = flushRequests.peek()) != null && request.sequence <= settledThrough) {
      flushRequests.poll().future.complete(null);
    }
  }

  private ExecutorService flusher() {
    if (flusher == null) {
      flusher =
          Executors.newSingleThreadExecutor(
              DaemonThreads.named("collect-" + spec.name() + "-flusher"));
    }
    return flusher;
  }

  /** Ends the flusher thread, letting a flush in flight finish first; before the sinks close. */
  void close() {
    if (flusher != null) {
      flusher.shutdown();
      try {
        flusher.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A flush of the sinks on the flusher thread, and what may be committed once it succeeded. */
  private final class PendingFlush implements Runnable {
    final Position position;
    final long settledThrough;
    final long startedNanos;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    PendingFlush(Position position, long settledThrough, long startedNanos) {
      this.position = position;
      this.settledThrough = settledThrough;
      this.startedNanos = startedNanos;
    }

    @Override
    public void run() {
      try {
        flushSinks();
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    }

    /** Waits for the flush; its failure, or null. */
    Throwable await() throws InterruptedException {
      try {
        done.get();
        return null;
      } catch (java.util.concurrent.ExecutionException e) {
        return e.getCause();
      }
    }
  }

  /** After a failure: commits what is settled if the sinks can still be flushed. */
  void commitSettledQuietly() {
    try {
      commitSettled(true);
    } catch (Exception e) {
      // The sinks are broken: committing nothing is the safe outcome; the failure is reported.
    }
    FlushRequest request;
    while ((request = flushRequests.poll()) != null) {
      request.future.completeExceptionally(
          new CollectException("pipeline '" + spec.name() + "' failed before the flush"));
    }
  }

  private void flushSinks() throws Exception {
    for (Sink<?> sink : spec.sinks()) {
      sink.flush();
    }
    if (spec.deadLetters() != null) {
      spec.deadLetters().flush();
    }
  }

  private static final class FlushRequest {
    final long sequence;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    FlushRequest(long sequence) {
      this.sequence = sequence;
    }
  }
}
