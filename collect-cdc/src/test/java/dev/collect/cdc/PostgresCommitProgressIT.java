package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestSink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under a continuous write load the committed offset and the slot's confirmed LSN keep advancing: a
 * slot that never confirms makes PostgreSQL keep all WAL since the pipeline started.
 */
@Timeout(180)
class PostgresCommitProgressIT {
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
  private static final Duration LOAD = Duration.ofSeconds(20);
  private static final int ROWS_PER_TX = 5;
  private static final int TARGET_RATE = 1500; // changes per second
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
  void committedOffsetAndSlotAdvanceEveryTwoCommitIntervalsUnderContinuousLoad(@TempDir Path dir)
      throws Exception {
    String table = Pg.unique("load");
    String name = Pg.unique("progress");
    String key = "cdc-" + name + "-offsets";
    pg.exec("CREATE TABLE " + table + " (id INT PRIMARY KEY, amount INT)");
    TestSink<ChangeEvent> sink = new TestSink<>();
    RecordingCheckpointStore checkpoints =
        new RecordingCheckpointStore(CheckpointStore.directory(dir), key, sink::size);
    Pipeline pipeline =
        Pipeline.from(Cdc.source(pg.config(name, table).dropSlotOnStop(true).build()))
            .to(sink)
            .checkpoints(checkpoints)
            .commitInterval(COMMIT_INTERVAL)
            .build();
    pipeline.start();
    PostgresCdcIT.awaitReady(pipeline);

    List<long[]> slot = new ArrayList<>(); // {nanos, confirmed_flush_lsn}
    long loadStart = System.nanoTime();
    int rows = writeContinuously(table, loadStart, slot, name);
    long loadEnd = System.nanoTime();
    PostgresCdcIT.await(
        pipeline,
        sink,
        table,
        l -> l.stream().filter(e -> e.operation() == Operation.CREATE).count() >= rows);
    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    double rate = rows / ((loadEnd - loadStart) / 1e9);
    System.out.printf(
        "commit progress: %d rows in %.1f s (%.0f/s), %d checkpoint saves, %d slot samples%n",
        rows, (loadEnd - loadStart) / 1e9, rate, checkpoints.saves().size(), slot.size());
    assertThat(rate).as("changes per second of the load").isGreaterThanOrEqualTo(1000);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received()).isEqualTo(report.written());
    assertThat(
            PostgresCdcIT.of(sink, table).stream()
                .filter(e -> e.operation() == Operation.CREATE)
                .map(e -> ((Number) e.after().get("id")).intValue())
                .distinct()
                .count())
        .isEqualTo(rows);

    // Never past a record that was not settled: the changes before the resume point were in the
    // sink before the save.
    List<ChangeEvent> delivered = PostgresCdcIT.of(sink, table);
    for (RecordingCheckpointStore.Save save : checkpoints.saves()) {
      long lsn = CdcOffsets.resumeLsn(save.value());
      long covered =
          delivered.stream()
              .filter(e -> e.source().lsn() != null && e.source().lsn() < lsn)
              .count();
      assertThat(covered).as("events covered by a commit").isLessThanOrEqualTo(save.sinkSize());
    }

    // Judged from the first advance under load (the first commit waits for warm-up) to the end.
    List<long[]> committed = new ArrayList<>();
    for (RecordingCheckpointStore.Save save : checkpoints.saves()) {
      committed.add(new long[] {save.nanos(), CdcOffsets.resumeLsn(save.value())});
    }
    CommitProgress.assertAdvancesEveryTwoIntervals(
        "committed offset", committed, loadStart, loadEnd, COMMIT_INTERVAL);
    CommitProgress.assertAdvancesEveryTwoIntervals(
        "confirmed_flush_lsn", slot, loadStart, loadEnd, COMMIT_INTERVAL);
  }

  /**
   * Inserts rows in small transactions at about {@link #TARGET_RATE} for {@link #LOAD}, sampling
   * the slot's confirmed_flush_lsn on a second connection about every 100 ms. Returns the rows.
   */
  private static int writeContinuously(String table, long start, List<long[]> slot, String name)
      throws Exception {
    long end = start + LOAD.toNanos();
    long nextSample = start;
    int id = 0;
    try (Connection writer = pg.connect();
        Statement insert = writer.createStatement();
        Connection sampler = pg.connect();
        Statement sample = sampler.createStatement()) {
      long now;
      while ((now = System.nanoTime()) < end) {
        if (now >= nextSample) {
          slot.add(new long[] {now, confirmedFlushLsn(sample, name)});
          nextSample = now + TimeUnit.MILLISECONDS.toNanos(100);
        }
        long due = start + (long) (id / (double) TARGET_RATE * 1e9);
        if (now < due) {
          Thread.sleep(Math.min(5, (due - now) / 1_000_000));
          continue;
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < ROWS_PER_TX; i++) {
          id++;
          values
              .append(i == 0 ? "" : ",")
              .append('(')
              .append(id)
              .append(',')
              .append(id % 97)
              .append(')');
        }
        insert.execute("INSERT INTO " + table + " VALUES " + values);
      }
    }
    return id;
  }

  private static long confirmedFlushLsn(Statement st, String slot) throws Exception {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT confirmed_flush_lsn - '0/0' FROM pg_replication_slots WHERE slot_name = '"
                + slot
                + "'")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }
}
