package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kills a CDC pipeline's JVM mid-stream (SIGKILL) and resumes from its checkpoint. */
@Timeout(180)
class PostgresCrashRecoveryIT {
  private static final int ROWS = 3000;
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
  void killedPipelineResumesWithoutLossAndRepeatsOnlyTheUnsettledTail(@TempDir Path dir)
      throws Exception {
    String table = Pg.unique("orders");
    String name = Pg.unique("crash");
    Path checkpoints = dir.resolve("checkpoints");
    Path firstRun = dir.resolve("first-run.jsonl");
    pg.exec(
        "CREATE TABLE " + table + " (id INT PRIMARY KEY, amount INT)",
        "ALTER TABLE " + table + " REPLICA IDENTITY FULL");
    Process worker =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashWorker.class.getName(),
                Integer.toString(pg.port()),
                table,
                name,
                checkpoints.toString(),
                firstRun.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker.log").toFile())
            .start();
    try {
      awaitSlot(name, worker);
      Thread writer = new Thread(() -> insertRows(table), "writer");
      writer.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (completeLines(firstRun).size() < ROWS / 3) {
        assertThat(worker.isAlive()).as("worker died: see " + dir.resolve("worker.log")).isTrue();
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(100);
      }

      worker.destroyForcibly(); // SIGKILL: no drain, no commit
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
      writer.join();
    } finally {
      worker.destroyForcibly();
    }
    List<JsonNode> before = completeLines(firstRun);
    long committedLsn = committedLsn(checkpoints, "cdc-" + name + "-offsets");
    assertThat(before.size()).isLessThan(ROWS);
    assertThat(committedLsn).as("the first run committed offsets").isPositive();

    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline resumed =
        Pipeline.from(CdcSource.of(pg.config(name, table).dropSlotOnStop(true).build()))
            .to(sink)
            .checkpoints(CheckpointStore.directory(checkpoints))
            .build();
    resumed.start();
    PostgresCdcIT.await(resumed, sink, table, l -> l.stream().anyMatch(e -> id(e.after()) == ROWS));
    RunReport report = resumed.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    List<ChangeEvent> after =
        PostgresCdcIT.of(sink, table).stream()
            .filter(e -> e.operation() == Operation.CREATE)
            .toList();
    Set<Integer> firstIds = new HashSet<>();
    before.forEach(n -> firstIds.add(n.path("after").path("id").asInt()));
    firstIds.remove(0); // schema change lines have no row
    System.out.println(
        "first run tail: "
            + before.subList(Math.max(0, before.size() - 3), before.size()).stream()
                .map(n -> n.path("after").path("id") + "@" + n.path("source").path("lsn"))
                .toList()
            + " resumed with: "
            + after.subList(0, Math.min(3, after.size())).stream()
                .map(e -> id(e.after()) + "@" + e.source().lsn())
                .toList());
    Set<Integer> all = new HashSet<>(firstIds);
    Set<Integer> resumedIds = new HashSet<>();
    after.forEach(e -> resumedIds.add(id(e.after())));
    for (int i = 1; i <= ROWS; i++) {
      if (!firstIds.contains(i) && !resumedIds.contains(i)) {
        int missing = i;
        System.out.println(
            "MISSING "
                + missing
                + " first run around it: "
                + before.stream()
                    .filter(n -> Math.abs(n.path("after").path("id").asInt() - missing) < 3)
                    .map(n -> n.path("after").path("id") + "@" + n.path("source").path("lsn"))
                    .toList()
                + " resumed around it: "
                + after.stream()
                    .filter(e -> Math.abs(id(e.after()) - missing) < 3)
                    .map(e -> id(e.after()) + "@" + e.source().lsn())
                    .toList());
      }
    }
    after.forEach(e -> all.add(id(e.after())));
    assertThat(all).as("nothing lost").containsAll(IntStream.rangeClosed(1, ROWS).boxed().toList());
    assertThat(after)
        .as("nothing settled before the kill is delivered again")
        .allSatisfy(e -> assertThat(e.source().lsn()).isGreaterThan(committedLsn));
    List<Integer> repeated =
        after.stream().map(e -> id(e.after())).filter(firstIds::contains).toList();
    long unsettledInFirstRun =
        before.stream().filter(n -> n.path("source").path("lsn").asLong() > committedLsn).count();
    assertThat((long) repeated.size()).isLessThanOrEqualTo(unsettledInFirstRun);
    System.out.printf(
        "crash test: %d written before the kill, %d of them unsettled, %d delivered again%n",
        before.size(), unsettledInFirstRun, repeated.size());
    List<Integer> order = after.stream().map(e -> id(e.after())).toList();
    assertThat(order).as("commit order").isSorted();
  }

  private static int id(Map<String, Object> row) {
    return row == null ? -1 : ((Number) row.get("id")).intValue();
  }

  private static void insertRows(String table) {
    try {
      for (int i = 1; i <= ROWS; i += 100) {
        int from = i;
        String values =
            IntStream.range(from, from + 100)
                .mapToObj(n -> "(" + n + ", " + (n * 3) + ")")
                .collect(Collectors.joining(","));
        pg.exec("INSERT INTO " + table + " VALUES " + values);
        Thread.sleep(100);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitSlot(String slot, Process worker) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    // The slot is created when the connector task starts; changes after it are captured.
    while (pg.queryLong(
            "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'")
        == 0) {
      assertThat(worker.isAlive()).as("worker died").isTrue();
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** The lines of a JSON Lines file that ended with a newline: a torn last line is ignored. */
  private static List<JsonNode> completeLines(Path file) throws Exception {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    List<JsonNode> out = new ArrayList<>();
    if (end < 0) {
      return out;
    }
    for (String line : text.substring(0, end).split("\n")) {
      out.add(CdcJson.MAPPER.readTree(line));
    }
    return out;
  }

  /** The LSN of the last settled change, from the offsets the killed pipeline committed. */
  private static long committedLsn(Path checkpoints, String key) throws Exception {
    try (CheckpointStore store = CheckpointStore.directory(checkpoints)) {
      String value = store.load(key).orElse(null);
      if (value == null) {
        return 0;
      }
      JsonNode offsets = CdcJson.MAPPER.readTree(value);
      long lsn = 0;
      for (JsonNode encoded : offsets) {
        JsonNode offset = CdcJson.MAPPER.readTree(Base64.getDecoder().decode(encoded.asText()));
        // A data record's offset names the last settled change (lsn_proc): resume after it. A
        // heartbeat's names where to resume: nothing before it is delivered again.
        lsn = Math.max(lsn, offset.path("lsn_proc").asLong(offset.path("lsn").asLong() - 1));
      }
      return lsn;
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
        Pipeline.from(CdcSource.of(pg.config(name, table).build()))
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
        Pipeline.from(CdcSource.of(pg.config(name, table).dropSlotOnStop(true).build()))
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
                .map(e -> id(e.after())))
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 50).boxed().toList());
  }
}
