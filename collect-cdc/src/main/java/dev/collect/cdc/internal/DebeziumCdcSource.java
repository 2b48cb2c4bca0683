package dev.collect.cdc.internal;

import dev.collect.cdc.CdcMetricNames;
import dev.collect.cdc.CdcPosition;
import dev.collect.cdc.CdcSource;
import dev.collect.cdc.CdcSourceConfig;
import dev.collect.cdc.ChangeEvent;
import dev.collect.core.CollectException;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.spi.BoundedHandOff;
import dev.collect.core.spi.DaemonThreads;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.debezium.engine.RecordChangeEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CdcSource} on Debezium's embedded engine. The engine's thread only queues its batches of
 * records, bounded in records (backpressure); the reader thread maps them to change events, keeps
 * the handed-out records in a {@link Ledger}, and on {@link #commit} marks them processed and
 * flushes their offsets. Mapping on the reader keeps the engine's thread as free as in a bare
 * engine loop: the engine converts while the reader maps.
 */
public final class DebeziumCdcSource implements CdcSource {
  private static final Logger LOG = LoggerFactory.getLogger(DebeziumCdcSource.class);
  private static final long OFFER_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final CdcSourceConfig config;
  // A batch keeps its room until the reader has mapped all of it (pollHeld, release).
  private final BoundedHandOff<EngineBatch> batches;
  private final ArrayDeque<Item> ready = new ArrayDeque<>();
  private final List<ChangeEvent> mapped = new ArrayList<>(2);
  private final Ledger ledger = new Ledger();
  private final CommitGate gate = new CommitGate();
  private final CountDownLatch started = new CountDownLatch(1);
  private final ChangeEnvelopes envelopes;
  private volatile Throwable engineFailure;
  private volatile boolean engineStopped;
  private volatile boolean closing;
  private OffsetStores.Handle offsets;
  private RecordMapper mapper;
  private CdcMeters meters;
  private PostgresAdmin admin;
  private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
  private ExecutorService engineThread;
  private ScheduledExecutorService adminThread;
  private long sequence;
  private EngineBatch current;
  private int index;

  /**
   * MySQL/MariaDB: the item of a row that ended its engine batch, and the row: whether it also
   * ended its binlog event, and so may be resumed after, is known once the next record arrives.
   */
  private Item awaitingNext;

  private SourceRecord awaitingNextRecord;

  public DebeziumCdcSource(CdcSourceConfig config) {
    this.config = config;
    this.batches =
        BoundedHandOff.of(config.bufferRecords(), Long.MAX_VALUE, b -> b.records.size(), b -> 0L);
    this.envelopes = new ChangeEnvelopes(config);
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void open(PipelineContext context) throws Exception {
    meters = new CdcMeters(context.meterRegistry(), context.pipeline(), config.name());
    meters.gauge(
        CdcMetricNames.BUFFERED, "Events waiting for the pipeline", "events", batches::records);
    if (config.database() == CdcSourceConfig.Database.POSTGRES) {
      admin = new PostgresAdmin(config);
      meters.gauge(
          CdcMetricNames.SLOT_LAG,
          "WAL retained by the replication slot",
          "bytes",
          admin::slotLagBytes);
      adminThread = Executors.newSingleThreadScheduledExecutor(daemon("admin"));
      long every = config.slotLagInterval().toMillis();
      adminThread.scheduleWithFixedDelay(admin::refreshSlotLag, 0, every, TimeUnit.MILLISECONDS);
    }
    String placeholder =
        config
            .properties()
            .getOrDefault(
                DebeziumProperties.UNAVAILABLE_PLACEHOLDER_KEY,
                DebeziumProperties.DEFAULT_UNAVAILABLE_PLACEHOLDER);
    mapper = new RecordMapper(config.database() == CdcSourceConfig.Database.POSTGRES, placeholder);
    offsets = OffsetStores.register(context.checkpoints(), config.checkpointKey());
    engine =
        DebeziumEngine.create(io.debezium.engine.format.ChangeEventFormat.of(Connect.class))
            .using(DebeziumProperties.of(config, offsets.id))
            .using(gate)
            .using(
                new DebeziumEngine.ConnectorCallback() {
                  @Override
                  public void taskStarted() {
                    started.countDown();
                  }
                })
            .using(this::engineCompleted)
            .notifying(this::handleBatch)
            .build();
    engineThread = Executors.newSingleThreadExecutor(daemon("engine"));
    engineThread.execute(engine);
    if (!started.await(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new CollectException(
          "CDC source '"
              + config.name()
              + "' did not start within "
              + config.startTimeout()
              + "; check that the database is reachable and configured for CDC");
    }
    throwIfEngineFailed();
    LOG.info("CDC source '{}' started: {}", config.name(), config);
  }

  private java.util.concurrent.ThreadFactory daemon(String role) {
    return DaemonThreads.named("collect-cdc-" + config.name() + "-" + role);
  }

  private void engineCompleted(boolean success, String message, Throwable error) {
    if (!success && !closing) {
      engineFailure = error != null ? error : new CollectException(message);
      LOG.warn("CDC source '{}': the Debezium engine stopped: {}", config.name(), message);
    }
    engineStopped = true;
    started.countDown();
  }

  /**
   * Fails for good once the engine stopped with an error: the engine has used up its own retries
   * and does not come back, so the error is not chained as a cause that a classifier could take for
   * a transient outage (a lost connection) and retry polling a dead engine. It is attached as
   * suppressed, for the stack trace.
   */
  private void throwIfEngineFailed() {
    Throwable failure = engineFailure;
    if (failure != null) {
      // The innermost cause that says something (a lost connection's, not its bare EOFException).
      Throwable root = failure;
      for (Throwable t = failure.getCause(); t != null && t != root; t = t.getCause()) {
        root = t.getMessage() != null ? t : root;
      }
      CollectException e =
          new CollectException(
              "CDC source '"
                  + config.name()
                  + "': the Debezium engine failed and stopped: "
                  + failure.getMessage()
                  + (root == failure ? "" : " (caused by " + root + ")")
                  + "; restart the pipeline once the database is reachable and configured");
      e.addSuppressed(failure);
      throw e;
    }
  }

  /** Runs on the engine's thread: queues the batch, waiting while the buffer is full. */
  private void handleBatch(
      List<RecordChangeEvent<SourceRecord>> records,
      RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    if (records.isEmpty()) {
      return;
    }
    EngineBatch batch = new EngineBatch(records, new EngineBatchCommit(committer, records.get(0)));
    while (!batches.offer(batch, OFFER_WAIT_NANOS)) {
      if (closing) {
        throw new InterruptedException("CDC source '" + config.name() + "' is closing");
      }
    }
  }

  /** One batch of the engine's, as queued. */
  private record EngineBatch(
      List<RecordChangeEvent<SourceRecord>> records, EngineBatchCommit commit) {}

  /**
   * The batch holding the next unmapped record, or null if none came in time. Reader thread only.
   */
  private EngineBatch nextBatch(long timeoutNanos) throws InterruptedException {
    if (current != null && index == current.records.size()) {
      batches.release(current);
      current = null;
    }
    if (current == null) {
      current = batches.pollHeld(timeoutNanos);
      index = 0;
    }
    return current;
  }

  /** The engine's record after the one just taken from the current batch, or null. */
  private RecordChangeEvent<SourceRecord> nextInBatch() {
    return current != null && index < current.records.size() ? current.records.get(index) : null;
  }

  /** Maps one of the engine's records into {@link #ready} items, in order. */
  private void map(RecordChangeEvent<SourceRecord> change, EngineBatchCommit batch) {
    SourceRecord record = change.record();
    Map<String, ?> offset = record.sourceOffset();
    boolean endUnknown = false;
    if (config.database() == CdcSourceConfig.Database.MYSQL) {
      resolveAwaitingNext(record);
      RecordChangeEvent<SourceRecord> next = nextInBatch();
      Map<String, Object> resumeAt =
          BinlogResume.offset(record, next == null ? null : next.record());
      if (resumeAt == BinlogResume.NOT_RESUMABLE) {
        offset = null;
        endUnknown = next == null;
      } else if (resumeAt != null) {
        offset = resumeAt;
      }
    }
    Item settlesRecord = mapInto(record, offset, batch);
    if (endUnknown) {
      awaitingNext = settlesRecord;
      awaitingNextRecord = record;
    }
  }

  /**
   * Gives the row that ended the previous engine batch its resumable offset if {@code next}, the
   * record after it, is at another binlog position (the row ended its event). A row settled before
   * this is known was settled without an offset: a restart then replays it, never skips it.
   */
  private void resolveAwaitingNext(SourceRecord next) {
    if (awaitingNext == null) {
      return;
    }
    Map<String, Object> resumeAt = BinlogResume.offset(awaitingNextRecord, next);
    if (resumeAt != null && resumeAt != BinlogResume.NOT_RESUMABLE) {
      awaitingNext.resolveOffset(resumeAt);
    }
    awaitingNext = null;
    awaitingNextRecord = null;
  }

  /** Adds the record's items to {@link #ready}; returns the last, which carries its offset. */
  private Item mapInto(SourceRecord record, Map<String, ?> offset, EngineBatchCommit batch) {
    mapped.clear();
    Item settlesRecord;
    try {
      RecordMapper.Kind kind = mapper.kind(record);
      if (isInternal(kind)) {
        settlesRecord = new Item(++sequence, offset, batch, null);
        ready.add(settlesRecord);
        return settlesRecord;
      }
      if (kind == RecordMapper.Kind.SCHEMA) {
        mapped.add(mapper.mapSchema(record));
      } else {
        mapper.mapData(record, mapped);
      }
      boolean snapshotContinues = RecordMapper.snapshotContinues(record);
      for (ChangeEvent e : mapped) {
        meters.record(e, snapshotContinues);
      }
      int last = mapped.size() - 1;
      for (int i = 0; i < last; i++) {
        // A derived event (a PostgreSQL schema change) has no record of its own to settle.
        long seq = ++sequence;
        ready.add(new Item(seq, null, batch, envelopes.of(mapped.get(i), record, seq)));
      }
      long seq = ++sequence;
      settlesRecord = new Item(seq, offset, batch, envelopes.of(mapped.get(last), record, seq));
    } catch (RuntimeException e) {
      long seq = ++sequence;
      settlesRecord = new Item(seq, offset, batch, envelopes.failed(record, e, seq));
    }
    ready.add(settlesRecord);
    return settlesRecord;
  }

  /** Heartbeats and transaction markers: settled with the records around them, never handed out. */
  private static boolean isInternal(RecordMapper.Kind kind) {
    return kind == RecordMapper.Kind.HEARTBEAT || kind == RecordMapper.Kind.TRANSACTION;
  }

  @Override
  public List<Envelope<ChangeEvent>> poll(int maxRecords, Duration timeout) throws Exception {
    throwIfEngineFailed();
    List<Envelope<ChangeEvent>> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.size() < maxRecords) {
      Item item = ready.poll();
      if (item == null) {
        EngineBatch batch = nextBatch(out.isEmpty() ? deadline - System.nanoTime() : 0);
        if (batch == null) {
          break;
        }
        map(batch.records.get(index++), batch.commit);
        continue;
      }
      Envelope<ChangeEvent> envelope = item.takeEnvelope();
      ledger.add(item);
      if (envelope != null) {
        out.add(envelope);
      }
    }
    if (ledger.settleLeadingInternal() > 0) {
      flushOffsets();
    }
    if (out.isEmpty() && engineStopped) {
      throwIfEngineFailed();
    }
    return out;
  }

  @Override
  public boolean isFinished() {
    // INITIAL_ONLY: the engine stops by itself after the snapshot.
    return engineStopped
        && engineFailure == null
        && ready.isEmpty()
        && (current == null || index == current.records.size())
        && batches.isEmpty();
  }

  @Override
  public void commit(Position position) throws Exception {
    if (!(position instanceof CdcPosition p)) {
      throw new IllegalArgumentException(
          "CDC source '" + config.name() + "' cannot commit a foreign position: " + position);
    }
    int settled = ledger.settleThrough(p.sequence()) + ledger.settleLeadingInternal();
    if (settled > 0) {
      flushOffsets();
    }
  }

  /**
   * On close, when everything handed out was committed: settles the heartbeats and transaction ends
   * waiting right behind it, so that a clean stop resumes exactly where it stopped.
   */
  private void settleTrailingInternal() {
    if (engine == null || engineStopped || ledger.size() > 0) {
      return;
    }
    try {
      while (ready.isEmpty()) {
        EngineBatch batch = nextBatch(0);
        if (batch == null || !isInternal(mapper.kind(batch.records.get(index).record()))) {
          break;
        }
        map(batch.records.get(index++), batch.commit);
      }
      Item item;
      while ((item = ready.peek()) != null && !item.visible()) {
        ledger.add(ready.poll());
      }
      if (ledger.settleLeadingInternal() > 0) {
        flushOffsets();
      }
    } catch (Exception e) {
      LOG.debug(
          "source '{}': could not settle trailing heartbeats: {}", config.name(), e.toString());
    }
  }

  private void flushOffsets() throws Exception {
    RecordCommitter<RecordChangeEvent<SourceRecord>> committer = ledger.committer();
    if (committer == null || engineStopped) {
      return;
    }
    gate.commitNow(
        () -> {
          committer.markBatchFinished();
          return null;
        });
    RuntimeException failure = offsets.saveFailure;
    if (failure != null) {
      throw new CollectException(
          "CDC source '"
              + config.name()
              + "': saving offsets under checkpoint key '"
              + config.checkpointKey()
              + "' failed",
          failure);
    }
  }

  @Override
  public void close() throws Exception {
    settleTrailingInternal();
    closing = true;
    try {
      if (engine != null && !engineStopped) {
        engine.close();
      }
    } catch (IllegalStateException e) {
      LOG.debug("engine of '{}' was already stopping: {}", config.name(), e.getMessage());
    } finally {
      if (engineThread != null) {
        engineThread.shutdown();
        if (!engineThread.awaitTermination(30, TimeUnit.SECONDS)) {
          engineThread.shutdownNow();
        }
      }
      if (adminThread != null) {
        adminThread.shutdownNow();
      }
      if (offsets != null) {
        OffsetStores.unregister(offsets);
      }
      if (ledger.size() > 0) {
        LOG.info(
            "CDC source '{}' closed with {} unsettled record(s); they are captured again on restart",
            config.name(),
            ledger.size());
      }
    }
  }
}
