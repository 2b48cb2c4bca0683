package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under a continuous write load the committed binlog position keeps advancing, never past a change
 * the sink has not settled: the MariaDB copy of {@link PostgresCommitProgressIT}. Needs the
 * machine's MariaDB (see {@link Maria}).
 */
@Timeout(180)
class MariaDbCommitProgressIT {
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
  private static final Duration LOAD = Duration.ofSeconds(20);
  private static final int RATE = 1500; // changes per second
  private static final int ROWS_PER_TX = 10;

  @BeforeAll
  static void requireServer() throws Exception {
    Maria.require("MariaDbCommitProgressIT");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    Maria.dropDatabase();
  }

  @Test
  void committedBinlogPositionAdvancesEveryTwoCommitIntervalsUnderContinuousLoad(@TempDir Path dir)
      throws Exception {
    String table = Pg.unique("mload");
    String name = Pg.unique("mprogress");
    String key = "cdc-" + name + "-offsets";
    Maria.exec(Maria.DB, "CREATE TABLE " + table + " (id INT PRIMARY KEY, amount INT)");
    TestSink<ChangeEvent> sink = new TestSink<>();
    RecordingCheckpointStore checkpoints =
        new RecordingCheckpointStore(CheckpointStore.directory(dir), key, sink::size);
    Pipeline pipeline =
        Pipeline.from(Cdc.source(Maria.config(name, table, dir)))
            .to(sink)
            .checkpoints(checkpoints)
            .commitInterval(COMMIT_INTERVAL)
            .build();
    pipeline.start();
    PostgresCdcIT.awaitReady(pipeline);

    long loadStart = System.nanoTime();
    int rows;
    try (PacedWriter writer = new PacedWriter(Maria::connect, table, RATE, ROWS_PER_TX)) {
      writer.start();
      Thread.sleep(LOAD.toMillis());
      writer.close();
      rows = writer.written();
    }
    long loadEnd = System.nanoTime();
    PostgresCdcIT.await(pipeline, sink, table, l -> rowIds(l).size() >= rows);
    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    double rate = rows / ((loadEnd - loadStart) / 1e9);
    System.out.printf(
        "binlog commit progress: %d rows in %.1f s (%.0f/s), %d checkpoint saves%n",
        rows, (loadEnd - loadStart) / 1e9, rate, checkpoints.saves().size());
    assertThat(rate).as("changes per second of the load").isGreaterThanOrEqualTo(1000);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received()).isEqualTo(report.written());
    List<ChangeEvent> delivered = PostgresCdcIT.of(sink, table);
    assertThat(rowIds(delivered)).hasSize(rows);

    // Never past a change that was not settled: the changes of transactions before the committed
    // position were in the sink before the save.
    List<long[]> committed = new ArrayList<>();
    for (RecordingCheckpointStore.Save save : checkpoints.saves()) {
      long position = CdcOffsets.binlogOrdinal(save.value());
      long covered =
          delivered.stream()
              .filter(e -> e.source().binlogFile() != null)
              .filter(
                  e ->
                      CdcOffsets.binlogOrdinal(e.source().binlogFile(), e.source().binlogPosition())
                          < position)
              .count();
      assertThat(covered).as("events covered by a commit").isLessThanOrEqualTo(save.sinkSize());
      committed.add(new long[] {save.nanos(), position});
    }
    CommitProgress.assertAdvancesEveryTwoIntervals(
        "committed binlog position", committed, loadStart, loadEnd, COMMIT_INTERVAL);
  }

  /** The distinct row ids inserted: read by the snapshot if it ran late, or captured as created. */
  private static java.util.Set<Integer> rowIds(List<ChangeEvent> events) {
    return events.stream()
        .filter(e -> e.operation() == Operation.CREATE || e.operation() == Operation.READ)
        .map(KillRounds::id)
        .collect(java.util.stream.Collectors.toSet());
  }
}
