package dev.collect.batch;

import dev.collect.core.BatchPolicy;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestDeadLetterSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One process of the sliced extraction test: copies slice {@code index} of {@code count} of table
 * {@code src} into {@code out} (each row with its slice), checkpointing in the shared PostgreSQL
 * store {@code cp}.
 */
final class SliceExtractJob {
  private SliceExtractJob() {}

  /** {@code url src out cp index count}: one run; exit 0 if every row read was written. */
  public static void main(String[] args) throws Exception {
    PGSimpleDataSource db = new PGSimpleDataSource();
    db.setUrl(args[0]);
    int index = Integer.parseInt(args[4]);
    int count = Integer.parseInt(args[5]);
    RunReport report =
        Pipeline.from(
                Jdbc.source(
                    JdbcSourceConfig.builder(db, args[1], "id")
                        .pageSize(500)
                        .slice("id", index, count)
                        .build()))
            .map("mark", row -> Map.<String, Object>of("id", row.get("id"), "slice", index))
            .to(Jdbc.sink(JdbcSinkConfig.builder(db, args[2], List.of("id", "slice")).build()))
            .deadLetters(new TestDeadLetterSink())
            .checkpoints(JdbcCheckpointStore.create(db, args[3]))
            .name("slice-" + index)
            .batch(BatchPolicy.ofRecords(500).withLinger(Duration.ofMillis(5)))
            .build()
            .run();
    System.out.println(report);
    System.exit(
        report.invariantHolds() && report.deadLettered() == 0 && report.written() > 0 ? 0 : 2);
  }
}
