package dev.collect.batch;

import dev.collect.core.BatchPolicy;
import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The pipeline of the daily-extraction tests: PostgreSQL table {@code events_*} incrementally by
 * {@code (updated_at, id)} into a Parquet lake partitioned by {@code event_date}. Its main runs one
 * extraction in a separate JVM, slowly, to be killed with SIGKILL.
 */
final class EventsLakeJob {
  static final Column[] COLUMNS = {
    Column.required("id", ColumnType.LONG),
    Column.of("user_id", ColumnType.STRING),
    Column.of("amount", ColumnType.DOUBLE),
    Column.required("updated_at", ColumnType.TIMESTAMP)
  };

  private EventsLakeJob() {}

  static Pipeline pipeline(
      DataSource db, String table, Path lake, CheckpointStore store, Duration delayPerRecord) {
    LakeWriter<Map<String, Object>> sink =
        Lake.sink(
            LakeSinkConfig.builder(lake)
                .columns(COLUMNS)
                .partitionBy("event_date", Partitioner.dateOf("updated_at"))
                .build());
    Source<Map<String, Object>> source =
        Jdbc.source(
            JdbcSourceConfig.builder(db, table, "updated_at")
                .tieBreaker("id")
                .pageSize(100)
                .checkpoints(store, "events:" + table)
                .build());
    return Pipeline.from(sink.committing(source))
        .map(
            "slow",
            row -> {
              if (!delayPerRecord.isZero()) {
                Thread.sleep(delayPerRecord.toMillis());
              }
              return row;
            })
        .to(sink)
        .deadLetters(new TestDeadLetterSink())
        .name("events-" + table)
        .batch(BatchPolicy.ofRecords(50).withLinger(Duration.ofMillis(5)))
        .commitInterval(Duration.ofMillis(50))
        // Small queues keep the reader polling (and committing every interval) while the workers
        // write: with the default 16k-record queues the source is read to its end at once, and a
        // finished bounded source commits nothing more until the end, so no crash falls mid-run.
        .queueCapacity(50, 1 << 20)
        .build();
  }

  /** {@code url table lakeDir checkpointDir}: runs one slow extraction (to be killed). */
  public static void main(String[] args) {
    PGSimpleDataSource db = new PGSimpleDataSource();
    db.setUrl(args[0]);
    CheckpointStore store = CheckpointStore.directory(Path.of(args[3]));
    pipeline(db, args[1], Path.of(args[2]), store, Duration.ofMillis(2)).run();
  }
}
