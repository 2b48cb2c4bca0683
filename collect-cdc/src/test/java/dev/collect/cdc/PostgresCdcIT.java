package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
    while (registry.get(CdcMetricNames.SLOT_LAG).gauge().value() < 0) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(50);
    }

    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    assertThat(pg.queryLong(slotCount)).isZero();
  }
}
