package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Source;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file and JDBC sources end a poll once it holds the byte bound, not only at the record bound.
 */
class BoundedPollBytesTest {

  static final int ROWS = 40;
  static final int TEXT = 10_000;
  static final long MAX_BYTES = 50_000;

  @TempDir Path dir;

  @Test
  void theFileSourceEndsAPollOnceItHoldsTheByteBound() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      lines.add("{\"id\":" + i + ",\"text\":\"" + "x".repeat(TEXT) + "\"}");
    }
    Files.write(dir.resolve("a.jsonl"), lines);

    List<List<Envelope<Map<String, Object>>>> polls =
        drain(LocalFiles.source(FileSourceConfig.builder(dir).glob("*.jsonl").build()));

    assertBounded(polls);
  }

  @Test
  void theJdbcSourceEndsAPageOnceItHoldsTheByteBoundAndGoesOnFromTheLastRow() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:bounded" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = h2.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE blobs (id INT PRIMARY KEY, text VARCHAR(20000))");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO blobs VALUES (?, ?)")) {
        for (int i = 0; i < ROWS; i++) {
          insert.setInt(1, i);
          insert.setString(2, "x".repeat(TEXT));
          insert.executeUpdate();
        }
      }
    }

    List<List<Envelope<Map<String, Object>>>> polls =
        drain(Jdbc.source(JdbcSourceConfig.builder(h2, "blobs", "id").build()));

    assertBounded(polls);
  }

  /** Every poll stops at the first record that reaches the bound; together they hold every row. */
  private static void assertBounded(List<List<Envelope<Map<String, Object>>>> polls) {
    List<Integer> ids = new ArrayList<>();
    for (List<Envelope<Map<String, Object>>> poll : polls) {
      long bytes = 0;
      for (int i = 0; i < poll.size(); i++) {
        assertThat(bytes).as("bytes before record %d of a poll", i).isLessThan(MAX_BYTES);
        bytes += poll.get(i).sizeEstimate();
        ids.add(
            ((Number)
                    poll.get(i)
                        .value()
                        .get(
                            poll.get(i).value().keySet().stream()
                                .filter(k -> k.equalsIgnoreCase("id"))
                                .findFirst()
                                .orElseThrow()))
                .intValue());
      }
      assertThat(bytes).isLessThan(MAX_BYTES + TEXT + 1_000);
    }
    assertThat(polls).hasSizeGreaterThan(ROWS * TEXT / (int) MAX_BYTES - 1);
    assertThat(ids).hasSize(ROWS).doesNotHaveDuplicates();
  }

  private static List<List<Envelope<Map<String, Object>>>> drain(Source<Map<String, Object>> source)
      throws Exception {
    source.open(new PipelineContext("test", new SimpleMeterRegistry(), CheckpointStore.inMemory()));
    List<List<Envelope<Map<String, Object>>>> polls = new ArrayList<>();
    for (int i = 0; i < 1000 && !source.isFinished(); i++) {
      List<Envelope<Map<String, Object>>> poll = source.poll(1024, MAX_BYTES, Duration.ZERO);
      if (!poll.isEmpty()) {
        polls.add(poll);
      }
    }
    source.close();
    return polls;
  }
}
