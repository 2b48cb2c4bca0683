package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a CDC pipeline's JVM (SIGKILL) under a continuous write load, five times in a row, and
 * resumes from its checkpoints each time.
 */
@Timeout(300)
class PostgresCrashRecoveryIT {
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
  private static final Duration ROUND = Duration.ofSeconds(4);
  private static final int KILLS = 5;
  private static final int RATE = 1000; // rows per second, in transactions of five
  private static Pg pg;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = Pg.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  @Test
  void fiveKillsUnderLoadLoseNothingAndRepeatOnlyWhatArrivedSinceTheLastCommit(@TempDir Path dir)
      throws Exception {
    String table = Pg.unique("orders");
    String name = Pg.unique("crash");
    String key = "cdc-" + name + "-offsets";
    Path checkpoints = dir.resolve("checkpoints");
    pg.exec("CREATE TABLE " + table + " (id INT PRIMARY KEY, amount INT)");
    KillRounds rounds =
        new KillRounds(
            dir,
            List.of(
                "postgres",
                "127.0.0.1",
                Integer.toString(pg.port()),
                "postgres",
                table,
                name,
                checkpoints.toString(),
                "OUTPUT",
                Long.toString(COMMIT_INTERVAL.toMillis())),
            ROUND,
            COMMIT_INTERVAL,
            checkpoints,
            key);
    List<KillRounds.Round> killed;
    int rows;
    try (PacedWriter writer = new PacedWriter(pg::connect, table, RATE, 5)) {
      killed = rounds.run(KILLS, writer, () -> awaitSlotReleased(name));
      writer.close();
      rows = writer.written();
    }

    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline resumed =
        Pipeline.from(Cdc.source(pg.config(name, table).dropSlotOnStop(true).build()))
            .to(sink)
            .checkpoints(CheckpointStore.directory(checkpoints))
            .build();
    resumed.start();
    PostgresCdcIT.await(resumed, sink, table, l -> l.stream().anyMatch(e -> id(e) == rows));
    RunReport report = resumed.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    List<List<ChangeEvent>> runs = new ArrayList<>();
    killed.forEach(r -> runs.add(creates(r.events())));
    runs.add(creates(PostgresCdcIT.of(sink, table)));
    Set<Integer> all = new HashSet<>();
    runs.forEach(run -> run.forEach(e -> all.add(id(e))));
    assertThat(all).as("nothing lost").containsAll(IntStream.rangeClosed(1, rows).boxed().toList());
    long previous = 0;
    for (int k = 0; k < KILLS; k++) {
      KillRounds.Round round = killed.get(k);
      List<ChangeEvent> before = runs.get(k);
      List<ChangeEvent> next = runs.get(k + 1);
      long committed = CdcOffsets.resumeLsn(round.checkpoint());
      int bound = round.duplicateBound();
      List<ChangeEvent> tail = before.stream().filter(e -> e.source().lsn() >= committed).toList();
      Set<Integer> tailIds = ids(tail);
      Set<Integer> repeated = ids(next);
      repeated.retainAll(ids(before));
      System.out.printf(
          "kill %d: %d written (%.0f/s written, %.0f/s captured), %d from the resume LSN on,"
              + " %d delivered again, bound %d%n",
          k + 1,
          before.size(),
          round.writeRate(),
          round.captureRate(),
          tail.size(),
          repeated.size(),
          bound);
      assertThat(committed)
          .as("kill %d: the committed LSN advanced in the round", k + 1)
          .isGreaterThan(previous);
      assertThat(tail.size())
          .as("kill %d: changes written after the committed offset", k + 1)
          .isLessThanOrEqualTo(bound);
      assertThat(next)
          .as("kill %d: nothing before the committed resume LSN is delivered again", k + 1)
          .allSatisfy(e -> assertThat(e.source().lsn()).isGreaterThanOrEqualTo(committed));
      assertThat(repeated)
          .as("kill %d: only the unsettled tail repeats", k + 1)
          .isSubsetOf(tailIds);
      assertThat(before.stream().map(KillRounds::id).toList()).as("commit order").isSorted();
      previous = committed;
    }
  }

  private static List<ChangeEvent> creates(List<ChangeEvent> events) {
    return events.stream().filter(e -> e.operation() == Operation.CREATE).toList();
  }

  private static Set<Integer> ids(List<ChangeEvent> events) {
    Set<Integer> out = new HashSet<>();
    events.forEach(e -> out.add(id(e)));
    return out;
  }

  private static int id(ChangeEvent e) {
    return KillRounds.id(e);
  }

  /** Waits until PostgreSQL noticed the killed walsender: the slot is free for the next run. */
  private static void awaitSlotReleased(String slot) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (pg.queryLong(
            "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + slot + "'")
        > 0) {
      assertThat(System.nanoTime()).as("slot %s still active", slot).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** Where a restart resumes, from the offsets a pipeline committed. */
  private static long committedLsn(Path checkpoints, String key) throws Exception {
    try (CheckpointStore store = CheckpointStore.directory(checkpoints)) {
      return CdcOffsets.resumeLsn(store.load(key).orElse(null));
    }
  }

  @Test
  void sinkOutageStopsWithoutCommittingAndARestartRedeliversEverything(@TempDir Path dir)
      throws Exception {
    String table = Pg.unique("outage");
    String name = Pg.unique("outage");
    Path checkpoints = dir.resolve("checkpoints");
    pg.exec("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
    TestSink<ChangeEvent> never = new TestSink<>();
    Pipeline failing =
        Pipeline.from(Cdc.source(pg.config(name, table).build()))
            .to(dev.collect.core.testing.FailingSink.outage(never, Duration.ofMinutes(10)))
            .checkpoints(CheckpointStore.directory(checkpoints))
            .retry(
                dev.collect.core.RetryPolicy.builder()
                    .initialBackoff(Duration.ofMillis(10))
                    .maxBackoff(Duration.ofMillis(50))
                    .outageBudget(Duration.ofSeconds(2))
                    .build())
            .build();
    failing.start();
    PostgresCdcIT.awaitReady(failing);
    pg.exec("INSERT INTO " + table + " SELECT g FROM generate_series(1, 50) g");

    RunReport failed = failing.awaitTermination(Duration.ofSeconds(60));

    assertThat(failed.status()).isEqualTo(RunReport.Status.FAILED);
    assertThat(never.size()).isZero();
    // Only heartbeats that came before the inserts may have been committed.
    long committed = committedLsn(checkpoints, "cdc-" + name + "-offsets");

    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline resumed =
        Pipeline.from(Cdc.source(pg.config(name, table).dropSlotOnStop(true).build()))
            .to(sink)
            .checkpoints(CheckpointStore.directory(checkpoints))
            .build();
    resumed.start();
    PostgresCdcIT.await(
        resumed,
        sink,
        table,
        l -> l.stream().filter(e -> e.operation() == Operation.CREATE).count() >= 50);
    RunReport report = resumed.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    // A heartbeat's offset is where reading resumes, inclusive.
    assertThat(PostgresCdcIT.of(sink, table))
        .allSatisfy(e -> assertThat(e.source().lsn()).isGreaterThanOrEqualTo(committed));
    assertThat(
            PostgresCdcIT.of(sink, table).stream()
                .filter(e -> e.operation() == Operation.CREATE)
                .map(PostgresCrashRecoveryIT::id))
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 50).boxed().toList());
  }

  /**
   * An engine failure (the replication connection lost, Debezium told not to retry) fails the
   * pipeline with the engine's error, and commits nothing more: not the changes the sink still held
   * when it failed. A restart from the same checkpoints then delivers them.
   */
  @Test
  void engineFailureFailsThePipelineWithoutCommitting(@TempDir Path dir) throws Exception {
    String table = Pg.unique("lost");
    String name = Pg.unique("lost");
    String key = "cdc-" + name + "-offsets";
    Path checkpoints = dir.resolve("checkpoints");
    pg.exec("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
    GatedSink<ChangeEvent> sink = new GatedSink<>();
    RecordingCheckpointStore store =
        new RecordingCheckpointStore(
            CheckpointStore.directory(checkpoints), key, () -> sink.written().size());
    Pipeline failing =
        Pipeline.from(
                Cdc.source(
                    pg.config(name, table)
                        .snapshotMode(SnapshotMode.NO_DATA)
                        .heartbeatInterval(Duration.ZERO)
                        // "Beyond Debezium's retries": none allowed, so a lost connection is final.
                        .property("errors.max.retries", "0")
                        .build()))
            .to(sink)
            .checkpoints(store)
            .commitInterval(Duration.ofMillis(100))
            .build();
    failing.start();
    PostgresCdcIT.awaitReady(failing);
    pg.exec("INSERT INTO " + table + " VALUES (1)");
    PostgresCdcIT.await(failing, sink.written(), table, l -> !creates(l).isEmpty());
    long settledLsn = creates(PostgresCdcIT.of(sink.written(), table)).get(0).source().lsn();
    awaitCondition(
        "row 1's offset committed",
        () -> !store.saves().isEmpty() && resumeLsn(last(store.saves())) >= settledLsn);
    sink.hold();
    pg.exec("INSERT INTO " + table + " VALUES (2), (3)");
    awaitCondition("rows 2 and 3 held by the sink", () -> sink.waiting() == 2);
    int savesBefore = store.saves().size();
    String committedBefore = store.load(key).orElseThrow();

    pg.exec(
        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
            + name
            + "'");
    RunReport failed = failing.awaitTermination(Duration.ofSeconds(60));

    assertThat(failed.status()).isEqualTo(RunReport.Status.FAILED);
    assertThat(failed.failure())
        .contains("source '" + name + "' failed")
        .contains("the Debezium engine failed and stopped")
        .contains("Database connection failed");
    assertThat(store.saves()).as("checkpoint saves after the failure").hasSize(savesBefore);
    String committedAfter;
    try (CheckpointStore reopened = CheckpointStore.directory(checkpoints)) {
      committedAfter = reopened.load(key).orElseThrow();
    }
    assertThat(committedAfter).isEqualTo(committedBefore);
    assertThat(CdcOffsets.resumeLsn(committedAfter)).isEqualTo(settledLsn);
    assertThat(creates(PostgresCdcIT.of(sink.written(), table)))
        .as("written before the failure")
        .extracting(PostgresCrashRecoveryIT::id)
        .containsExactly(1);

    TestSink<ChangeEvent> resumedSink = new TestSink<>();
    Pipeline resumed =
        Pipeline.from(
                Cdc.source(
                    pg.config(name, table)
                        .snapshotMode(SnapshotMode.NO_DATA)
                        .dropSlotOnStop(true)
                        .build()))
            .to(resumedSink)
            .checkpoints(CheckpointStore.directory(checkpoints))
            .build();
    resumed.start();
    PostgresCdcIT.await(
        resumed, resumedSink, table, l -> creates(l).stream().anyMatch(e -> id(e) == 3));
    RunReport report = resumed.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    // The change at the resume LSN (row 1) may come again; nothing before it does.
    assertThat(PostgresCdcIT.of(resumedSink, table))
        .allSatisfy(e -> assertThat(e.source().lsn()).isGreaterThanOrEqualTo(settledLsn));
    assertThat(creates(PostgresCdcIT.of(resumedSink, table)))
        .extracting(PostgresCrashRecoveryIT::id)
        .filteredOn(id -> id > 1)
        .containsExactly(2, 3);
  }

  /** Bad configuration found when the engine starts (no such database) fails the pipeline. */
  @Test
  void badConfigurationFailsThePipelineAtStartWithoutCommitting(@TempDir Path dir)
      throws Exception {
    String name = Pg.unique("badconf");
    Path checkpoints = dir.resolve("checkpoints");
    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(
                Cdc.source(
                    pg.config(name, "anything")
                        .databaseName("no_such_database")
                        .startTimeout(Duration.ofSeconds(60))
                        .build()))
            .to(sink)
            .checkpoints(CheckpointStore.directory(checkpoints))
            .build();

    pipeline.start();
    RunReport failed = pipeline.awaitTermination(Duration.ofSeconds(90));

    assertThat(failed.status()).isEqualTo(RunReport.Status.FAILED);
    assertThat(failed.failure())
        .contains("the Debezium engine failed and stopped")
        .contains("no_such_database");
    assertThat(failed.received()).isZero();
    assertThat(failed.invariantHolds()).isTrue();
    try (CheckpointStore store = CheckpointStore.directory(checkpoints)) {
      assertThat(store.load("cdc-" + name + "-offsets")).isEmpty();
    }
  }

  private static long resumeLsn(RecordingCheckpointStore.Save save) {
    try {
      return CdcOffsets.resumeLsn(save.value());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  private static void awaitCondition(String what, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
