package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.examples.realtime.RealtimeClickstream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class RealtimeClickstreamTest {

  @TempDir Path dir;

  @Test
  void everyEventEndsInTheLakeOrOnTheDeadLetterTopic() throws Exception {
    RealtimeClickstream.Result result = RealtimeClickstream.run(5_000, null, dir);

    assertThat(result.report().invariantHolds()).isTrue();
    assertThat(result.report().sourceRecords()).isEqualTo(result.produced()).isEqualTo(5_000);
    assertThat(result.report().deadLettered()).isPositive();
    assertThat(result.deadLetterTopicRecords()).isEqualTo(result.report().deadLettered());

    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = duck.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT event_id), min(length(user_id)) FROM read_parquet('"
                    + dir.resolve("lake").toAbsolutePath()
                    + "/*/*/*.parquet', hive_partitioning = true)")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(result.report().written());
      assertThat(rows.getLong(2)).isEqualTo(result.report().written());
      assertThat(rows.getInt(3)).as("user ids are pseudonyms, not user-123").isGreaterThan(20);
    }
  }
}
