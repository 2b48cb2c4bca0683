package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.batch.JobRun;
import dev.collect.examples.batch.DailyBatch;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class DailyBatchTest {

  @TempDir Path dir;

  @Test
  void theSecondDayExtractsOnlyNewAndChangedRows() throws Exception {
    DailyBatch.Result result = DailyBatch.run(2_000, null, dir);

    assertThat(result.firstDay().outcome()).isEqualTo(JobRun.Outcome.COMPLETED);
    assertThat(result.firstDay().written()).isEqualTo(2_000);
    assertThat(result.secondDay().outcome()).isEqualTo(JobRun.Outcome.COMPLETED);
    assertThat(result.secondDay().written()).isEqualTo(result.newRows() + result.changedRows());
    for (JobRun run : new JobRun[] {result.firstDay(), result.secondDay()}) {
      assertThat(run.received()).isEqualTo(run.written() + run.deadLettered() + run.filtered());
    }

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duck.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT id), count(DISTINCT event_date) FROM read_parquet('"
                    + dir.resolve("lake").toAbsolutePath()
                    + "/*/*.parquet', hive_partitioning = true)")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(2_000 + result.newRows() + result.changedRows());
      assertThat(rows.getLong(2)).isEqualTo(2_000 + result.newRows());
      assertThat(rows.getLong(3)).isEqualTo(2);
    }
  }
}
