package dev.collect.cdc.internal;

import dev.collect.cdc.CdcConfig;
import dev.collect.cdc.CdcMetricNames;
import dev.collect.cdc.CdcPosition;
import dev.collect.cdc.CdcSource;
import dev.collect.cdc.ChangeEvent;
import dev.collect.core.CollectException;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.debezium.engine.RecordChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CdcSource} on Debezium's embedded engine. The engine's thread maps records and puts them
 * in a bounded buffer; the reader thread polls the buffer, keeps the handed-out records in a {@link
 * Ledger}, and on {@link #commit} marks them processed and flushes their offsets.
 */
public final class DebeziumCdcSource implements CdcSource {
  private static final Logger log = LoggerFactory.getLogger(DebeziumCdcSource.class);

  private final CdcConfig config;
  private final BlockingQueue<Item> buffer;
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

  public DebeziumCdcSource(CdcConfig config) {
    this.config = config;
    this.buffer = new ArrayBlockingQueue<>(config.bufferRecords());
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
        CdcMetricNames.BUFFERED, "Events waiting for the pipeline", "events", buffer::size);
    ReplicaIdentities identities;
    if (config.database() == CdcConfig.Database.POSTGRES) {
      admin = new PostgresAdmin(config);
      admin.refreshIdentities();
      identities = admin;
      meters.gauge(
          CdcMetricNames.SLOT_LAG,
          "WAL retained by the replication slot",
          "bytes",
          admin::slotLagBytes);
      adminThread = Executors.newSingleThreadScheduledExecutor(daemon("admin"));
      long every = config.slotLagInterval().toMillis();
      adminThread.scheduleWithFixedDelay(
          () -> {
            admin.refreshSlotLag();
            admin.refreshIdentities();
          },
          0,
          every,
          TimeUnit.MILLISECONDS);
    } else {
      identities = new MySqlRowImage(config);
    }
    String placeholder =
        config
            .properties()
            .getOrDefault(
                DebeziumProperties.UNAVAILABLE_PLACEHOLDER_KEY,
                DebeziumProperties.DEFAULT_UNAVAILABLE_PLACEHOLDER);
    mapper =
        new RecordMapper(config.database() == CdcConfig.Database.POSTGRES, placeholder, identities);
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
    log.info("CDC source '{}' started: {}", config.name(), config);
  }

  private java.util.concurrent.ThreadFactory daemon(String role) {
    return r -> {
      Thread t = new Thread(r, "collect-cdc-" + config.name() + "-" + role);
      t.setDaemon(true);
      return t;
    };
  }

  private void engineCompleted(boolean success, String message, Throwable error) {
    if (!success && !closing) {
      engineFailure = error != null ? error : new CollectException(message);
      log.warn("CDC source '{}': the Debezium engine stopped: {}", config.name(), message);
    }
    engineStopped = true;
    started.countDown();
  }

  private void throwIfEngineFailed() {
    Throwable failure = engineFailure;
    if (failure != null) {
      throw new CollectException(
          "CDC source '" + config.name() + "': the Debezium engine failed: " + failure.getMessage(),
          failure);
    }
  }

  /** Runs on the engine's thread: maps and buffers; the records are settled later, by commit. */
  private void handleBatch(
      List<RecordChangeEvent<SourceRecord>> records,
      RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    List<ChangeEvent> events = new ArrayList<>(2);
    for (RecordChangeEvent<SourceRecord> change : records) {
      SourceRecord record = change.record();
      events.clear();
      Item last;
      try {
        RecordMapper.Kind kind = mapper.kind(record);
        if (kind == RecordMapper.Kind.HEARTBEAT || kind == RecordMapper.Kind.TRANSACTION) {
          long seq = ++sequence;
          put(new Item(seq, resumable(record) ? change : null, null, committer));
          continue;
        }
        if (kind == RecordMapper.Kind.SCHEMA) {
          events.add(mapper.mapSchema(record));
        } else {
          mapper.mapData(record, events);
        }
        boolean snapshotContinues = RecordMapper.snapshotContinues(record);
        for (int i = 0; i < events.size() - 1; i++) {
          // A derived event (a PostgreSQL schema change) has no record of its own to settle.
          long seq = ++sequence;
          put(new Item(seq, null, envelopes.of(events.get(i), record, seq), null));
        }
        ChangeEvent event = events.get(events.size() - 1);
        for (ChangeEvent e : events) {
          meters.record(e, snapshotContinues);
        }
        long seq = ++sequence;
        last =
            new Item(
                seq,
                resumable(record) ? change : null,
                envelopes.of(event, record, seq),
                committer);
      } catch (RuntimeException e) {
        long seq = ++sequence;
        last =
            new Item(
                seq,
                resumable(record) ? change : null,
                envelopes.failed(record, e, seq),
                committer);
      }
      put(last);
    }
  }

  /**
   * Whether the connector can resume exactly after this record. PostgreSQL: always. MySQL/MariaDB:
   * only at a transaction boundary; an offset inside a transaction restarts from the transaction's
   * first event and skips rows by count, which Debezium 3.6's MySQL connector gets wrong on MariaDB
   * (it does not see MariaDB's GTID event as the transaction's start and skips a row of the next
   * transaction). So inside transactions only the transaction's end, a DDL or a heartbeat settles
   * the offset; a restart then replays at most the unsettled transaction.
   */
  private boolean resumable(SourceRecord record) {
    if (config.database() == CdcConfig.Database.POSTGRES) {
      return true;
    }
    Map<String, ?> offset = record.sourceOffset();
    return offset != null && isZero(offset.get("row")) && isZero(offset.get("event"));
  }

  private static boolean isZero(Object value) {
    return value == null || (value instanceof Number n && n.longValue() == 0);
  }

  private void put(Item item) throws InterruptedException {
    while (!buffer.offer(item, 100, TimeUnit.MILLISECONDS)) {
      if (closing) {
        throw new InterruptedException("CDC source '" + config.name() + "' is closing");
      }
    }
  }

  @Override
  public List<Envelope<ChangeEvent>> poll(int maxRecords, Duration timeout) throws Exception {
    throwIfEngineFailed();
    Item item = buffer.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    List<Envelope<ChangeEvent>> out = new ArrayList<>();
    while (item != null) {
      ledger.add(item);
      if (item.envelope() != null) {
        out.add(item.envelope());
        if (out.size() >= maxRecords) {
          break;
        }
      }
      item = buffer.poll();
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
    return engineStopped && engineFailure == null && buffer.isEmpty();
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
      Item item;
      while ((item = buffer.peek()) != null && item.envelope() == null) {
        ledger.add(buffer.poll());
      }
      if (ledger.settleLeadingInternal() > 0) {
        flushOffsets();
      }
    } catch (Exception e) {
      log.debug(
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
      log.debug("engine of '{}' was already stopping: {}", config.name(), e.getMessage());
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
        log.info(
            "CDC source '{}' closed with {} unsettled record(s); they are captured again on restart",
            config.name(),
            ledger.size());
      }
    }
  }
}
