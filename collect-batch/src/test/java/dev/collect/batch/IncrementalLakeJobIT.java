package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.CheckpointStore;
import dev.collect.core.PipelineFailedException;
import dev.collect.core.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A daily job extracting PostgreSQL incrementally into a Parquet lake, with crashes. */
@Timeout(180)
class IncrementalLakeJobIT {

  @TempDir Path dir;
  DataSource db;
  String table;

  @BeforeEach
  void createTable() throws Exception {
    db = Databases.postgres();
    table = "events_" + Databases.unique();
    Databases.execute(
        db,
        "CREATE TABLE "
            + table
            + " (id BIGSERIAL PRIMARY KEY, user_id TEXT, amount DOUBLE PRECISION,"
            + " updated_at TIMESTAMP NOT NULL)");
    insert(0, 1000);
  }

  /** Rows {@code from..to-1}; ten rows share each timestamp, to exercise the tie-breaker. */
  private void insert(int from, int to) throws Exception {
    Databases.execute(
        db,
        "INSERT INTO "
            + table
            + " (user_id, amount, updated_at) SELECT 'user-' || (i % 13), i * 0.5,"
            + " TIMESTAMP '2026-11-24 00:00:00' + ((i / 10) * INTERVAL '30 minutes') FROM"
            + " generate_series("
            + from
            + ", "
            + (to - 1)
            + ") AS i");
  }

  private long[] lakeCounts(Path lake) throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = duck.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(DISTINCT id), count(DISTINCT event_date),"
                    + " count(*) FILTER (WHERE amount = -1) FROM read_parquet('"
                    + lake
                    + "/*/*.parquet', hive_partitioning = true)")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
    }
  }

  @Test
  void secondRunPicksUpOnlyNewAndChangedRows() throws Exception {
    Path lake = dir.resolve("lake");
    CheckpointStore store = JdbcCheckpointStore.create(db, "cp_" + table);
    String name = "daily-" + table;
    try (JobScheduler scheduler = JobScheduler.create(store)) {
      scheduler.add(
          Job.of(
              name,
              Schedule.daily(LocalTime.of(2, 0), ZoneId.of("Europe/Berlin")),
              () -> EventsLakeJob.pipeline(db, table, lake, store, Duration.ZERO)));

      JobRun first = scheduler.runNow(name);
      insert(1000, 1050);
      Databases.execute(
          db,
          "UPDATE "
              + table
              + " SET amount = -1, updated_at = TIMESTAMP '2026-11-27 12:00:00'"
              + " WHERE id % 50 = 0");
      JobRun second = scheduler.runNow(name);
      JobRun third = scheduler.runNow(name);

      assertThat(first.outcome()).isEqualTo(JobRun.Outcome.COMPLETED);
      assertThat(first.written()).isEqualTo(1000);
      // 50 new (ids 1001..1050) + 20 changed (ids 50, 100, ..., 1000); 1050 is new and changed
      assertThat(second.written()).isEqualTo(70);
      assertThat(third.written()).isZero();
      assertThat(scheduler.history(name))
          .extracting(JobRun::written)
          .containsExactly(1000L, 70L, 0L);
      assertThat(scheduler.history(name))
          .allMatch(r -> r.received() == r.written() + r.deadLettered() + r.filtered());
    }
    long[] counts = lakeCounts(lake);
    assertThat(counts[0]).isEqualTo(1070);
    assertThat(counts[1]).isEqualTo(1050);
    assertThat(counts[2]).isEqualTo(4); // 2026-11-24..26 and the changed rows' 2026-11-27
    assertThat(counts[3]).isEqualTo(21);
  }

  /** A store that fails every save after the first {@code healthySaves}: a crash before commit. */
  static CheckpointStore crashingAfter(CheckpointStore store, int healthySaves) {
    AtomicInteger saves = new AtomicInteger();
    return new CheckpointStore() {
      @Override
      public Optional<String> load(String key) {
        return store.load(key);
      }

      @Override
      public void save(String key, String value) {
        if (saves.incrementAndGet() > healthySaves) {
          throw new IllegalStateException("injected crash before the checkpoint was saved");
        }
        store.save(key, value);
      }

      @Override
      public void delete(String key) {
        store.delete(key);
      }
    };
  }

  @Test
  void aCrashBetweenPublishAndCommitLeavesEveryRowExactlyOnce() throws Exception {
    Path lake = dir.resolve("lake");
    CheckpointStore store = CheckpointStore.directory(dir.resolve("state"));

    assertThatThrownBy(
            () ->
                EventsLakeJob.pipeline(
                        db, table, lake, crashingAfter(store, 3), Duration.ofMillis(1))
                    .run())
        .isInstanceOf(PipelineFailedException.class);
    long publishedByCrashedRun = lakeCounts(lake)[0];
    RunReport resumed = EventsLakeJob.pipeline(db, table, lake, store, Duration.ZERO).run();

    assertThat(publishedByCrashedRun).isGreaterThan(0).isLessThan(1000);
    assertThat(resumed.invariantHolds()).isTrue();
    long[] counts = lakeCounts(lake);
    assertThat(counts[0]).isEqualTo(1000);
    assertThat(counts[1]).isEqualTo(1000);
    JsonNode manifest = latestCompletedManifest(lake);
    assertThat(manifest.get("skippedReplays").asLong()).isPositive();
    assertThat(manifest.get("absorbedRuns")).hasSize(1);
  }

  @Test
  void aRunKilledWithSigkillAndRestartedLeavesEveryRowExactlyOnce() throws Exception {
    Path lake = dir.resolve("lake");
    Path state = dir.resolve("state");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                EventsLakeJob.class.getName(),
                Databases.postgresUrl(),
                table,
                lake.toString(),
                state.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    try {
      while (parquetFiles(lake) < 3) {
        assertThat(child.isAlive()).as("the child is still extracting").isTrue();
        Thread.sleep(20);
      }
      assertThat(child.isAlive()).isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux
      child.waitFor(30, TimeUnit.SECONDS);
    }
    long publishedByKilledRun = lakeCounts(lake)[0];

    RunReport resumed =
        EventsLakeJob.pipeline(db, table, lake, CheckpointStore.directory(state), Duration.ZERO)
            .run();

    assertThat(publishedByKilledRun).isPositive().isLessThan(1000);
    assertThat(resumed.invariantHolds()).isTrue();
    assertThat(resumed.written() + publishedByKilledRun).isGreaterThanOrEqualTo(1000);
    long[] counts = lakeCounts(lake);
    assertThat(counts[0]).isEqualTo(1000);
    assertThat(counts[1]).isEqualTo(1000);
    assertThat(latestCompletedManifest(lake).get("absorbedRuns")).hasSize(1);
  }

  private static long parquetFiles(Path lake) throws Exception {
    if (!Files.isDirectory(lake)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(lake)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  private static JsonNode latestCompletedManifest(Path lake) throws Exception {
    List<JsonNode> completed = new ArrayList<>();
    try (Stream<Path> files = Files.walk(lake.resolve("_collect/runs"))) {
      for (Path p : files.filter(p -> p.endsWith("manifest.json")).sorted().toList()) {
        JsonNode node = new ObjectMapper().readTree(p.toFile());
        if (node.get("status").asText().equals("completed")) {
          completed.add(node);
        }
      }
    }
    return completed.get(completed.size() - 1);
  }
}
