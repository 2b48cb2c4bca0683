package dev.collect.batch;

import dev.collect.core.BatchPolicy;
import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One writer of the shared-lake test, run as its own JVM: table {@code table} by id into the
 * Parquet lake at {@code root} under writer name {@code writer}, committing every 50 ms.
 */
final class LakeWriterProcess {
  private LakeWriterProcess() {}

  static LakeSinkConfig.Builder lake(Path root) {
    return LakeSinkConfig.builder(root)
        .columns(
            Column.required("id", ColumnType.LONG), Column.required("writer", ColumnType.STRING));
  }

  /**
   * The pipeline; each record waits {@code delayMillis}, and records after the 200th also wait
   * while file {@code hold} exists (so a writer can be held mid-write).
   */
  static Pipeline pipeline(
      DataSource db,
      String table,
      Path root,
      Path state,
      String writer,
      long delayMillis,
      Path hold) {
    AtomicLong seen = new AtomicLong();
    LakeWriter<Map<String, Object>> sink =
        Lake.sink(lake(root).writer(writer).name(writer).build());
    Source<Map<String, Object>> source =
        Jdbc.source(
            JdbcSourceConfig.builder(db, table, "id")
                .pageSize(100)
                .checkpoints(CheckpointStore.directory(state), "rows")
                .build());
    return Pipeline.from(sink.committing(source))
        .map(
            "slow",
            row -> {
              Thread.sleep(delayMillis);
              while (seen.incrementAndGet() > 200 && Files.exists(hold)) {
                Thread.sleep(20);
              }
              Map<String, Object> out = new HashMap<>();
              out.put("id", row.get("id"));
              out.put("writer", writer);
              return out;
            })
        .to(sink)
        .deadLetters(new TestDeadLetterSink())
        .name("lake-" + writer)
        .batch(BatchPolicy.ofRecords(50).withLinger(Duration.ofMillis(5)))
        .commitInterval(Duration.ofMillis(50))
        // Small queues keep the reader polling (and committing every interval) while the workers
        // write: with the default 16k-record queues the source is read to its end at once, and a
        // finished bounded source commits nothing more until the end, so no crash falls mid-run.
        .queueCapacity(50, 1 << 20)
        .build();
  }

  /**
   * {@code url table root stateDir writer delayMillis holdFile}: one run; exit 0 if all was
   * written.
   */
  public static void main(String[] args) {
    PGSimpleDataSource db = new PGSimpleDataSource();
    db.setUrl(args[0]);
    RunReport report =
        pipeline(
                db,
                args[1],
                Path.of(args[2]),
                Path.of(args[3]),
                args[4],
                Long.parseLong(args[5]),
                Path.of(args[6]))
            .run();
    System.out.println(report);
    System.exit(report.invariantHolds() && report.deadLettered() == 0 ? 0 : 2);
  }
}
