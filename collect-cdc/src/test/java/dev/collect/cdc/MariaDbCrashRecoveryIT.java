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
 * Kills a MariaDB CDC pipeline's JVM (SIGKILL) under a continuous write load, five times in a row,
 * and resumes from its checkpoints (binlog positions) each time. Needs the machine's MariaDB (see
 * {@link Maria}).
 */
@Timeout(300)
class MariaDbCrashRecoveryIT {
  private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
  private static final Duration ROUND = Duration.ofSeconds(4);
  private static final int KILLS = 5;
  private static final int RATE = 1000; // rows per second
  private static final int ROWS_PER_TX = 10;

  @BeforeAll
  static void requireServer() throws Exception {
    Maria.require("MariaDbCrashRecoveryIT");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    Maria.dropDatabase();
  }

  @Test
  void fiveKillsUnderLoadLoseNothingAndRepeatOnlyWhatArrivedSinceTheLastCommit(@TempDir Path dir)
      throws Exception {
    String table = Pg.unique("orders");
    String name = Pg.unique("mcrash");
    String key = "cdc-" + name + "-offsets";
    Path checkpoints = dir.resolve("checkpoints");
    Maria.exec(Maria.DB, "CREATE TABLE " + table + " (id INT PRIMARY KEY, amount INT)");
    KillRounds rounds =
        new KillRounds(
            dir,
            List.of(
                "mariadb",
                Maria.host(),
                Integer.toString(Maria.port()),
                Maria.DB,
                table,
                name,
                checkpoints.toString(),
                "OUTPUT",
                Long.toString(COMMIT_INTERVAL.toMillis()),
                Integer.toString(Maria.SERVER_ID)),
            ROUND,
            COMMIT_INTERVAL,
            checkpoints,
            key);
    List<KillRounds.Round> killed;
    int rows;
    try (PacedWriter writer = new PacedWriter(Maria::connect, table, RATE, ROWS_PER_TX)) {
      killed = rounds.run(KILLS, writer, () -> {});
      writer.close();
      rows = writer.written();
    }

    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline resumed =
        Pipeline.from(Cdc.source(configLike(name, table, checkpoints)))
            .to(sink)
            .checkpoints(CheckpointStore.directory(checkpoints))
            .build();
    resumed.start();
    PostgresCdcIT.await(
        resumed, sink, table, l -> l.stream().anyMatch(e -> KillRounds.id(e) == rows));
    RunReport report = resumed.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    List<List<ChangeEvent>> runs = new ArrayList<>();
    killed.forEach(r -> runs.add(rows(r.events())));
    runs.add(rows(PostgresCdcIT.of(sink, table)));
    Set<Integer> all = new HashSet<>();
    runs.forEach(run -> all.addAll(ids(run)));
    assertThat(all).as("nothing lost").containsAll(IntStream.rangeClosed(1, rows).boxed().toList());
    long previous = 0;
    for (int k = 0; k < KILLS; k++) {
      KillRounds.Round round = killed.get(k);
      List<ChangeEvent> before = runs.get(k);
      List<ChangeEvent> next = runs.get(k + 1);
      Set<Integer> nextIds = new HashSet<>(ids(next));
      List<ChangeEvent> repeated = before.stream().filter(e -> nextIds.contains(id(e))).toList();
      long committed = CdcOffsets.binlogOrdinal(round.checkpoint());
      // An offset is committed after a whole binlog event: settled rows of a partly settled one
      // (one transaction here) repeat too.
      int bound = round.duplicateBound() + ROWS_PER_TX - 1;
      System.out.printf(
          "kill %d: %d written (%.0f/s written, %.0f/s captured), %d delivered again, bound %d,"
              + " committed %s%n",
          k + 1,
          before.size(),
          round.writeRate(),
          round.captureRate(),
          repeated.size(),
          round.duplicateBound(),
          CdcOffsets.binlogPosition(round.checkpoint()));
      assertThat(committed)
          .as("kill %d: the committed binlog position advanced", k + 1)
          .isGreaterThan(previous);
      assertThat(repeated.size())
          .as("kill %d: changes delivered again", k + 1)
          .isLessThanOrEqualTo(bound);
      assertThat(ids(repeated))
          .as("kill %d: what repeats is the round's last rows", k + 1)
          .isEqualTo(ids(before.subList(before.size() - repeated.size(), before.size())));
      assertThat(repeated)
          .as("kill %d: every row delivered again was written at or after the resume point", k + 1)
          .allSatisfy(e -> assertThat(ordinal(e)).isGreaterThanOrEqualTo(committed));
      assertThat(next)
          .as("kill %d: nothing before the committed resume point is delivered again", k + 1)
          .filteredOn(e -> e.operation() == Operation.CREATE)
          .allSatisfy(e -> assertThat(ordinal(e)).isGreaterThanOrEqualTo(committed));
      assertThat(ids(before)).as("commit order").isSorted();
      previous = committed;
    }
  }

  /** Where a row's change is in the binlog, comparable with a committed offset's ordinal. */
  private static long ordinal(ChangeEvent e) {
    return CdcOffsets.binlogOrdinal(e.source().binlogFile(), e.source().binlogPosition());
  }

  private static CdcSourceConfig configLike(String name, String table, Path checkpoints) {
    // The worker keeps its schema history beside its checkpoints.
    return Maria.config(name, table, checkpoints);
  }

  /** The row changes of a run: read by the snapshot if it ran late, or captured as created. */
  private static List<ChangeEvent> rows(List<ChangeEvent> events) {
    return events.stream()
        .filter(e -> e.operation() == Operation.CREATE || e.operation() == Operation.READ)
        .toList();
  }

  private static List<Integer> ids(List<ChangeEvent> events) {
    return events.stream().map(MariaDbCrashRecoveryIT::id).toList();
  }

  private static int id(ChangeEvent e) {
    return KillRounds.id(e);
  }
}
