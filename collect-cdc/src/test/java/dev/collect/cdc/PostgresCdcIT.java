package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class PostgresCdcIT {
  private static Pg pg;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = Pg.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  static List<ChangeEvent> of(TestSink<ChangeEvent> sink, String table) {
    return sink.values().stream()
        .filter(e -> e.table() != null && e.table().table().equals(table))
        .toList();
  }

  static void await(
      Pipeline pipeline,
      TestSink<ChangeEvent> sink,
      String table,
      Predicate<List<ChangeEvent>> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.test(of(sink, table))) {
      assertThat(pipeline.isLive()).as("pipeline failed: " + pipeline.report().failure()).isTrue();
      assertThat(System.nanoTime())
          .as("waiting for change events of " + table)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** Waits until the source is open: its slot exists, so later changes are captured. */
  static void awaitReady(Pipeline pipeline) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!pipeline.isReady()) {
      assertThat(pipeline.isLive()).as("pipeline failed: " + pipeline.report().failure()).isTrue();
      assertThat(System.nanoTime()).as("waiting for the pipeline to start").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void snapshotThenInsertsUpdatesDeletesAndSchemaChangeInCommitOrder() throws Exception {
    String table = Pg.unique("items");
    pg.exec(
        "CREATE TABLE " + table + " (id INT PRIMARY KEY, name TEXT NOT NULL, qty INT)",
        "ALTER TABLE " + table + " REPLICA IDENTITY FULL",
        "INSERT INTO " + table + " VALUES (1, 'apple', 5), (2, 'pear', 7), (3, 'plum', 9)");
    TestSink<ChangeEvent> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Pipeline pipeline =
        Pipeline.from(Cdc.source(pg.config(Pg.unique("cdc"), table).dropSlotOnStop(true).build()))
            .to(sink)
            .deadLetters(dead)
            .metrics(registry)
            .workers(2)
            .commitInterval(Duration.ofMillis(200))
            .build();
    pipeline.start();
    awaitReady(pipeline);
    await(
        pipeline,
        sink,
        table,
        l -> l.stream().filter(e -> e.operation() == Operation.READ).count() == 3);

    pg.exec("INSERT INTO " + table + " VALUES (4, 'fig', 1)");
    pg.tx(
        "UPDATE " + table + " SET qty = 6 WHERE id = 1", "DELETE FROM " + table + " WHERE id = 2");
    pg.exec(
        "ALTER TABLE " + table + " ADD COLUMN note TEXT",
        "INSERT INTO " + table + " VALUES (5, 'kiwi', 2, 'new')",
        "UPDATE " + table + " SET name = 'figs', note = 'x' WHERE id = 4",
        "TRUNCATE " + table);
    await(
        pipeline, sink, table, l -> l.stream().anyMatch(e -> e.operation() == Operation.TRUNCATE));
    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.deadLettered()).isZero();
    List<ChangeEvent> events = of(sink, table);
    assertThat(events)
        .extracting(ChangeEvent::operation)
        .containsExactly(
            Operation.SCHEMA_CHANGE,
            Operation.READ,
            Operation.READ,
            Operation.READ,
            Operation.CREATE,
            Operation.UPDATE,
            Operation.DELETE,
            Operation.SCHEMA_CHANGE,
            Operation.CREATE,
            Operation.UPDATE,
            Operation.TRUNCATE);
    assertThat(events.subList(1, 4))
        .extracting(e -> e.after().get("name"))
        .containsExactly("apple", "pear", "plum");
    assertThat(events.get(1).source().snapshot()).isTrue();

    ChangeEvent insert = events.get(4);
    assertThat(insert.key()).isEqualTo(Map.of("id", 4));
    assertThat(insert.after()).containsEntry("name", "fig").containsEntry("qty", 1);
    assertThat(insert.before()).isNull();
    assertThat(insert.source().lsn()).isPositive();
    assertThat(insert.source().transactionId()).isNotNull();
    assertThat(insert.source().commitTime()).isNotNull();

    ChangeEvent update = events.get(5);
    assertThat(update.beforeImage()).isEqualTo(BeforeImage.FULL);
    assertThat(update.before()).containsEntry("qty", 5).containsEntry("name", "apple");
    assertThat(update.after()).containsEntry("qty", 6);
    assertThat(update.changedFieldsKnown()).isTrue();
    assertThat(update.changedFields()).containsOnlyKeys("qty");
    assertThat(update.changedFields().get("qty")).isEqualTo(new FieldChange(5, 6));

    ChangeEvent delete = events.get(6);
    assertThat(delete.source().transactionId()).isEqualTo(update.source().transactionId());
    assertThat(delete.beforeImage()).isEqualTo(BeforeImage.FULL);
    assertThat(delete.before()).containsEntry("id", 2).containsEntry("name", "pear");
    assertThat(delete.after()).isNull();

    SchemaChange change = events.get(7).schemaChange();
    assertThat(change.previousColumns())
        .extracting(SchemaChange.Column::name)
        .containsExactly("id", "name", "qty");
    assertThat(change.columns())
        .extracting(SchemaChange.Column::name)
        .containsExactly("id", "name", "qty", "note");
    assertThat(events.get(8).after()).containsEntry("note", "new");
    assertThat(events.get(9).changedFields()).containsOnlyKeys("name", "note");

    List<Long> lsns =
        events.subList(4, 11).stream()
            .filter(e -> e.operation() != Operation.SCHEMA_CHANGE)
            .map(e -> e.source().lsn())
            .toList();
    assertThat(lsns).isSorted();
    assertThat(
            registry
                .get(CdcMetricNames.EVENTS)
                .tag("operation", "update")
                .tag("table", "public." + table)
                .counter()
                .count())
        .isEqualTo(2.0);
    assertThat(registry.get(CdcMetricNames.SNAPSHOT_ROWS).counter().count()).isEqualTo(3.0);
    assertThat(registry.get(CdcMetricNames.CAPTURE_LAG).timer().count()).isGreaterThan(0);
  }

  @Test
  void defaultReplicaIdentitySaysWhatIsMissingAndNeverInventsIt() throws Exception {
    String table = Pg.unique("docs");
    pg.exec(
        "CREATE TABLE " + table + " (id INT PRIMARY KEY, title TEXT, body TEXT)",
        // Incompressible text well past the TOAST threshold, stored out of line.
        "INSERT INTO "
            + table
            + " SELECT 1, 'draft', string_agg(md5(g::text), '')"
            + " FROM generate_series(1, 400) g");
    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(
                Cdc.source(
                    pg.config(Pg.unique("cdc"), table)
                        .snapshotMode(SnapshotMode.NO_DATA)
                        .dropSlotOnStop(true)
                        .build()))
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .commitInterval(Duration.ofMillis(200))
            .build();
    pipeline.start();
    awaitReady(pipeline);

    pg.exec(
        "UPDATE " + table + " SET title = 'final' WHERE id = 1",
        "INSERT INTO " + table + " VALUES (2, 'short', 'tiny')",
        "DELETE FROM " + table + " WHERE id = 2");
    await(pipeline, sink, table, l -> l.stream().anyMatch(e -> e.operation() == Operation.DELETE));
    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    List<ChangeEvent> events =
        of(sink, table).stream().filter(e -> e.operation() != Operation.SCHEMA_CHANGE).toList();
    assertThat(events)
        .extracting(ChangeEvent::operation)
        .containsExactly(Operation.UPDATE, Operation.CREATE, Operation.DELETE);
    ChangeEvent update = events.get(0);
    assertThat(update.beforeImage()).isEqualTo(BeforeImage.NONE);
    assertThat(update.before()).isNull();
    assertThat(update.changedFieldsKnown()).isFalse();
    assertThat(update.changedFields()).isEmpty();
    assertThat(update.unavailableFields()).containsExactly("body");
    assertThat(update.after()).containsEntry("title", "final").doesNotContainKey("body");
    ChangeEvent delete = events.get(2);
    assertThat(delete.beforeImage()).isEqualTo(BeforeImage.UNKNOWN);
    assertThat(delete.before()).isEqualTo(Map.of("id", 2));
  }

  @Test
  void slotLagIsMeasuredAndTheSlotIsDroppedOnFinalStop() throws Exception {
    String table = Pg.unique("lag");
    String name = Pg.unique("cdc");
    pg.exec("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(
                Cdc.source(
                    pg.config(name, table)
                        .slotLagInterval(Duration.ofMillis(100))
                        .dropSlotOnStop(true)
                        .build()))
            .to(sink)
            .metrics(registry)
            .build();
    pipeline.start();
    awaitReady(pipeline);
    pg.exec("INSERT INTO " + table + " VALUES (1)");
    await(pipeline, sink, table, l -> l.stream().anyMatch(e -> e.operation() == Operation.CREATE));
    String slotCount = "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + name + "'";
    assertThat(pg.queryLong(slotCount)).isEqualTo(1);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!(registry.get(CdcMetricNames.SLOT_LAG).gauge().value() >= 0)) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(50);
    }

    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    assertThat(pg.queryLong(slotCount)).isZero();
  }

  /**
   * Backpressure and the source's gauges: with the sink held, at most {@code bufferRecords} events
   * wait in the source (the engine waits for room), the snapshot is reported running until its last
   * row, and once the sink lets go every row arrives, in order; capture lag is recorded for the
   * streamed changes only.
   */
  @Test
  void atMostBufferRecordsEventsWaitWhileTheSinkIsHeldAndNothingIsLost() throws Exception {
    String table = Pg.unique("backlog");
    int rows = 2000;
    int bufferRecords = 50;
    pg.exec(
        "CREATE TABLE " + table + " (id INT PRIMARY KEY, note TEXT)",
        "INSERT INTO " + table + " SELECT g, 'row ' || g FROM generate_series(1, " + rows + ") g");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GatedSink<ChangeEvent> sink = new GatedSink<>();
    sink.hold();
    Pipeline pipeline =
        Pipeline.from(
                Cdc.source(
                    pg.config(Pg.unique("cdc"), table)
                        .bufferRecords(bufferRecords)
                        .dropSlotOnStop(true)
                        .build()))
            .to(sink)
            .metrics(registry)
            .batch(dev.collect.core.BatchPolicy.ofRecords(10))
            .queueCapacity(20, 1 << 20)
            .commitInterval(Duration.ofMillis(200))
            .build();
    AtomicLong maxBuffered = new AtomicLong(-1);
    AtomicBoolean sampling = new AtomicBoolean(true);
    pipeline.start();
    awaitReady(pipeline);
    Gauge buffered = registry.get(CdcMetricNames.BUFFERED).gauge();
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                maxBuffered.accumulateAndGet((long) buffered.value(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
              }
            },
            "buffered-sampler");
    sampler.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (sink.waiting() == 0 || buffered.value() == 0) {
      assertThat(pipeline.isLive()).as("pipeline failed: " + pipeline.report().failure()).isTrue();
      assertThat(System.nanoTime()).as("waiting for the pipeline to back up").isLessThan(deadline);
      Thread.sleep(10);
    }
    // Held: far fewer than the snapshot's rows can have passed the source, so it is still running.
    double runningWhileHeld = registry.get(CdcMetricNames.SNAPSHOT_RUNNING).gauge().value();
    double capturedWhileHeld = registry.get(CdcMetricNames.SNAPSHOT_ROWS).counter().count();

    sink.release();
    await(
        pipeline,
        sink.written(),
        table,
        l -> l.stream().filter(e -> e.operation() == Operation.READ).count() == rows);
    double runningAfter = registry.get(CdcMetricNames.SNAPSHOT_RUNNING).gauge().value();
    pg.exec(
        "INSERT INTO " + table + " VALUES (" + (rows + 1) + ", 'streamed')",
        "INSERT INTO " + table + " VALUES (" + (rows + 2) + ", 'streamed')",
        "UPDATE " + table + " SET note = 'changed' WHERE id = 1");
    await(
        pipeline,
        sink.written(),
        table,
        l -> l.stream().anyMatch(e -> e.operation() == Operation.UPDATE));
    RunReport report = pipeline.stop(Duration.ofSeconds(30));
    sampling.set(false);
    sampler.join();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(maxBuffered.get())
        .as("events waiting in the source")
        .isPositive()
        .isLessThanOrEqualTo(bufferRecords);
    assertThat(runningWhileHeld).as("snapshot running while held").isEqualTo(1.0);
    assertThat(capturedWhileHeld).isLessThan(rows);
    assertThat(runningAfter).as("snapshot running after its last row").isEqualTo(0.0);
    List<ChangeEvent> events =
        of(sink.written(), table).stream()
            .filter(e -> e.operation() != Operation.SCHEMA_CHANGE)
            .toList();
    assertThat(events.subList(0, rows))
        .extracting(e -> e.after().get("id"))
        .containsExactlyElementsOf(IntStream.rangeClosed(1, rows).boxed().toList());
    assertThat(events.subList(rows, events.size()))
        .extracting(ChangeEvent::operation)
        .containsExactly(Operation.CREATE, Operation.CREATE, Operation.UPDATE);
    assertThat(registry.get(CdcMetricNames.SNAPSHOT_ROWS).counter().count()).isEqualTo(rows);
    assertThat(registry.get(CdcMetricNames.CAPTURE_LAG).timer().count())
        .as("capture lag recorded for the streamed changes only")
        .isEqualTo(3);
  }

  /**
   * The slot lag gauge says -1 when the lag is unknown: here the slot is gone (dropped while the
   * engine waits to reconnect after its replication connection was terminated).
   */
  @Test
  void slotLagIsMinusOneWhenTheSlotIsGone() throws Exception {
    String table = Pg.unique("gone");
    String name = Pg.unique("cdc");
    pg.exec("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(
                Cdc.source(
                    pg.config(name, table)
                        .snapshotMode(SnapshotMode.NO_DATA)
                        .slotLagInterval(Duration.ofMillis(50))
                        // Debezium retries a lost connection, but not before the test is over.
                        .property("retriable.restart.connector.wait.ms", "600000")
                        .property("errors.retry.delay.initial.ms", "600000")
                        .property("errors.retry.delay.max.ms", "1200000")
                        .build()))
            .to(sink)
            .metrics(registry)
            .build();
    pipeline.start();
    awaitReady(pipeline);
    pg.exec("INSERT INTO " + table + " VALUES (1)");
    await(pipeline, sink, table, l -> l.stream().anyMatch(e -> e.operation() == Operation.CREATE));
    Gauge slotLag = registry.get(CdcMetricNames.SLOT_LAG).gauge();
    awaitGauge(slotLag, v -> v >= 0, "slot lag measured");

    pg.exec(
        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
            + name
            + "'");
    pg.dropSlot(name);
    awaitGauge(slotLag, v -> v == -1, "slot lag unknown");
    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    assertThat(slotLag.value()).isEqualTo(-1.0);
  }

  private static void awaitGauge(Gauge gauge, java.util.function.DoublePredicate done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.test(gauge.value())) {
      assertThat(System.nanoTime())
          .as("waiting: " + what + ", gauge " + gauge.value())
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
