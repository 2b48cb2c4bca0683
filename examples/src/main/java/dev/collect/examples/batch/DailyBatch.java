package dev.collect.examples.batch;

import dev.collect.batch.Column;
import dev.collect.batch.ColumnType;
import dev.collect.batch.Jdbc;
import dev.collect.batch.JdbcCheckpointStore;
import dev.collect.batch.JdbcSourceConfig;
import dev.collect.batch.Job;
import dev.collect.batch.JobRun;
import dev.collect.batch.JobScheduler;
import dev.collect.batch.Lake;
import dev.collect.batch.LakeFormat;
import dev.collect.batch.LakeSinkConfig;
import dev.collect.batch.LakeWriter;
import dev.collect.batch.Partitioner;
import dev.collect.batch.Schedule;
import dev.collect.core.CheckpointStore;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Pipeline;
import dev.collect.core.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A daily batch job: interactions are extracted incrementally from a SQL table (cursor {@code
 * updated_at}, tie-breaker {@code id}) into a Parquet lake partitioned by {@code event_date}. The
 * cursor and the job's run history live in the same database, so several processes can share them.
 * The example runs the job for two "days": the first run extracts every row; between the runs new
 * rows arrive and some rows change; the second run extracts only those.
 *
 * <p>The database is an embedded H2 file under {@code --out} unless {@code --jdbc-url} names a
 * PostgreSQL database ({@code jdbc:postgresql://127.0.0.1:5432/test?user=root}). The lake opens in
 * DuckDB: {@code SELECT * FROM read_parquet('lake/**}{@code /*.parquet', hive_partitioning=true)}.
 *
 * <pre>
 * java -cp ... dev.collect.examples.batch.DailyBatch [--rows N] [--jdbc-url URL] [--out DIR]
 * </pre>
 */
public final class DailyBatch {
  static final String JOB = "interactions-daily";
  private static final Instant DAY_ONE = Instant.parse("2026-11-23T08:00:00Z");

  private DailyBatch() {}

  /** The two runs, as the job's history recorded them (newest last). */
  public record Result(JobRun firstDay, JobRun secondDay, int newRows, int changedRows) {}

  public static void main(String[] args) throws Exception {
    int rows = 50_000;
    String url = null;
    Path out = Path.of("collect-out/daily-batch");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rows = Integer.parseInt(args[++i]);
        case "--jdbc-url" -> url = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.out.println(
              "Usage: DailyBatch [--rows N, default 50000] [--jdbc-url jdbc:postgresql://...,"
                  + " default an embedded H2 database] [--out DIR]");
          return;
        }
      }
    }
    Result result = run(rows, url, out);
    for (JobRun run : List.of(result.firstDay(), result.secondDay())) {
      System.out.printf(
          Locale.ROOT,
          "%s run of %s: %s in %d ms, %,d received, %,d written, %,d dead-lettered%n",
          run.trigger(),
          run.job(),
          run.outcome(),
          Duration.between(run.startedAt(), run.endedAt()).toMillis(),
          run.received(),
          run.written(),
          run.deadLettered());
    }
    System.out.printf(
        Locale.ROOT,
        "Day two brought %,d new and %,d changed rows; the lake is in %s%n",
        result.newRows(),
        result.changedRows(),
        out.resolve("lake"));
  }

  /** Seeds the table, runs the job, changes the table, runs the job again. */
  public static Result run(int rows, String jdbcUrl, Path out) throws Exception {
    Files.createDirectories(out);
    DataSource db = dataSource(jdbcUrl, out);
    resetTable(db);
    insertInteractions(db, 0, rows, DAY_ONE);

    // The cursor and the run history are rows in the same database.
    CheckpointStore store = JdbcCheckpointStore.create(db, "collect_example_checkpoints");
    store.delete("interactions-cursor");
    Path lake = out.resolve("lake");
    try (JobScheduler scheduler = JobScheduler.create(store)) {
      scheduler.add(
          Job.of(
              JOB,
              Schedule.daily(LocalTime.of(2, 0), ZoneOffset.UTC),
              () -> extraction(db, store, lake, out)));
      JobRun first = scheduler.runNow(JOB);

      int newRows = rows / 20;
      int changedRows = rows / 50;
      Instant dayTwo = DAY_ONE.plus(Duration.ofDays(1));
      insertInteractions(db, rows, newRows, dayTwo);
      touchInteractions(db, changedRows, dayTwo.plusSeconds(newRows));
      JobRun second = scheduler.runNow(JOB);
      return new Result(first, second, newRows, changedRows);
    }
  }

  /** One run of the job: extract what changed since the last committed cursor. */
  private static Pipeline extraction(DataSource db, CheckpointStore store, Path lake, Path out) {
    LakeWriter<Map<String, Object>> parquet =
        Lake.sink(
            LakeSinkConfig.builder(lake)
                .format(LakeFormat.PARQUET)
                .columns(
                    Column.required("id", ColumnType.LONG),
                    Column.required("user_id", ColumnType.STRING),
                    Column.required("item_id", ColumnType.STRING),
                    Column.required("event_type", ColumnType.STRING),
                    Column.of("rating", ColumnType.INT),
                    Column.required("updated_at", ColumnType.TIMESTAMP))
                .partitionBy("event_date", Partitioner.dateOf("updated_at"))
                .build());
    Source<Map<String, Object>> interactions =
        Jdbc.source(
            JdbcSourceConfig.builder(db, "interactions", "updated_at")
                .tieBreaker("id")
                .checkpoints(store, "interactions-cursor")
                .build());
    return Pipeline.from(parquet.committing(interactions)) // exactly once in the lake
        .to(parquet)
        .deadLetters(DeadLetterSink.jsonLines(out.resolve("dead-letters.jsonl")))
        .commitInterval(Duration.ofMinutes(1)) // each commit publishes the open Parquet files
        .name(JOB)
        .build();
  }

  private static DataSource dataSource(String jdbcUrl, Path out) {
    if (jdbcUrl == null) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL(
          "jdbc:h2:file:"
              + out.toAbsolutePath().resolve("db/shop")
              + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
      return h2;
    }
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "--jdbc-url takes a PostgreSQL URL (jdbc:postgresql://host:5432/db?user=...)");
    }
    PGSimpleDataSource postgres = new PGSimpleDataSource();
    postgres.setURL(jdbcUrl);
    return postgres;
  }

  private static void resetTable(DataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS interactions");
      s.execute(
          "CREATE TABLE interactions (id BIGINT PRIMARY KEY, user_id VARCHAR(32) NOT NULL,"
              + " item_id VARCHAR(32) NOT NULL, event_type VARCHAR(16) NOT NULL, rating INT,"
              + " updated_at TIMESTAMP NOT NULL)");
      s.execute("CREATE INDEX interactions_cursor ON interactions (updated_at, id)");
    }
  }

  private static void insertInteractions(DataSource db, int firstId, int count, Instant start)
      throws SQLException {
    String[] types = {
      "view", "view", "view", "click", "click", "add_to_cart", "purchase", "rating"
    };
    SplittableRandom random = new SplittableRandom(firstId);
    try (Connection c = db.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO interactions (id, user_id, item_id, event_type, rating, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
      c.setAutoCommit(false);
      for (int i = 0; i < count; i++) {
        String type = types[random.nextInt(types.length)];
        insert.setLong(1, firstId + i);
        insert.setString(2, "user-" + random.nextInt(5_000));
        insert.setString(3, "item-" + random.nextInt(2_000));
        insert.setString(4, type);
        insert.setObject(5, type.equals("rating") ? 1 + random.nextInt(5) : null);
        // Several rows share a second: the tie-breaker keeps the cursor exact.
        insert.setTimestamp(6, Timestamp.from(start.plusSeconds(i / 4)));
        insert.addBatch();
        if (i % 1_000 == 999) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
      c.commit();
    }
  }

  /** Turns the first {@code count} views into clicks, as of {@code when}. */
  private static void touchInteractions(DataSource db, int count, Instant when)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE interactions SET event_type = 'click', updated_at = ? WHERE id = ?")) {
      c.setAutoCommit(false);
      for (int id = 0; id < count; id++) {
        update.setTimestamp(1, Timestamp.from(when));
        update.setLong(2, id);
        update.addBatch();
      }
      update.executeBatch();
      c.commit();
    }
  }
}
