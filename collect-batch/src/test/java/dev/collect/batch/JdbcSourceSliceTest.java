package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

/**
 * {@link JdbcSourceConfig.Slice}: disjoint slices covering the table, each with its own checkpoint.
 */
class JdbcSourceSliceTest {
  static final int ROWS = 200;

  /** Keys from -60 (negative keys must land in a slice too) with a cursor unrelated to them. */
  private static DataSource table(DataSource db) throws Exception {
    Databases.execute(db, "CREATE TABLE events (k BIGINT PRIMARY KEY, seq INT, v VARCHAR(10))");
    try (Connection c = db.getConnection();
        PreparedStatement insert = c.prepareStatement("INSERT INTO events VALUES (?, ?, ?)")) {
      for (int i = 0; i < ROWS; i++) {
        insert.setLong(1, i - 60L);
        insert.setInt(2, (i * 37) % ROWS);
        insert.setString(3, "v" + i);
        insert.executeUpdate();
      }
    }
    return db;
  }

  private static DataSource h2() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:slices" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    return table(h2);
  }

  @Test
  void threeSlicesReadEveryRowOnceOnH2AndSqlite() throws Exception {
    SQLiteDataSource sqlite = new SQLiteDataSource();
    sqlite.setUrl("jdbc:sqlite:file:slices" + System.nanoTime() + "?mode=memory&cache=shared");
    try (Connection keepAlive = sqlite.getConnection()) {
      for (DataSource db : List.of(h2(), table(sqlite))) {
        List<Long> union = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
          JdbcSourceConfig.Slice slice = new JdbcSourceConfig.Slice("k", index, 3);
          List<Long> keys = keys(drain(source(db, index), CheckpointStore.inMemory(), 1000));

          assertThat(keys).allMatch(slice::contains).isNotEmpty();
          union.addAll(keys);
        }
        assertThat(union).hasSize(ROWS).doesNotHaveDuplicates();
      }
    }
  }

  @Test
  void eachSliceResumesFromItsOwnCheckpoint() throws Exception {
    DataSource db = h2();
    CheckpointStore store = CheckpointStore.inMemory();

    List<Envelope<Map<String, Object>>> firstRun = drain(source(db, 1), store, 1);
    List<Long> rest = keys(drain(source(db, 1), store, 1000));
    List<Long> slice0 = keys(drain(source(db, 0), store, 1000));

    assertThat(firstRun).hasSize(10);
    assertThat(store.load("jdbc:events#1/3")).isPresent();
    assertThat(store.load("jdbc:events#0/3")).isPresent();
    assertThat(keys(firstRun)).doesNotContainAnyElementsOf(rest);
    assertThat(firstRun.size() + rest.size()).isEqualTo(67);
    assertThat(slice0).hasSize(67); // keys -60..139: floorMod 0 -> 67 keys, 1 -> 67, 2 -> 66
    assertThat(source(db, 2).name()).isEqualTo("jdbc:events#2/3");
  }

  @Test
  void changingTheCountStartsEverySliceFromTheBeginning() throws Exception {
    DataSource db = h2();
    CheckpointStore store = CheckpointStore.inMemory();
    for (int index = 0; index < 3; index++) {
      RunReport report = run(db, store, index, 3, new TestSink<>());
      assertThat(report.written()).isPositive();
      assertThat(report.invariantHolds()).isTrue();
    }

    List<Set<Long>> read = new ArrayList<>();
    for (int index = 0; index < 2; index++) {
      TestSink<Map<String, Object>> sink = new TestSink<>();
      RunReport report = run(db, store, index, 2, sink);
      assertThat(report.invariantHolds()).isTrue();
      read.add(Set.copyOf(keys(sink.envelopes())));
    }

    for (int index = 0; index < 2; index++) {
      int slice = index;
      Set<Long> all =
          LongStream.range(-60, ROWS - 60)
              .filter(k -> Math.floorMod(k, 2) == slice)
              .boxed()
              .collect(Collectors.toSet());
      assertThat(read.get(index)).isEqualTo(all);
    }
    assertThat(store.load("jdbc:events#0/3")).isPresent();
    assertThat(store.load("jdbc:events#0/2")).isPresent();
  }

  private static RunReport run(
      DataSource db,
      CheckpointStore store,
      int index,
      int count,
      TestSink<Map<String, Object>> sink) {
    Source<Map<String, Object>> source =
        Jdbc.source(
            JdbcSourceConfig.builder(db, "events", "seq")
                .pageSize(10)
                .slice("k", index, count)
                .build());
    try (Pipeline pipeline = Pipeline.from(source).to(sink).checkpoints(store).build()) {
      return pipeline.run();
    }
  }

  @Test
  void rejectsASliceOutsideItsCount() {
    assertThatThrownBy(() -> new JdbcSourceConfig.Slice("k", 3, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 3)");
    assertThatThrownBy(() -> new JdbcSourceConfig.Slice("k", 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JdbcSourceConfig.Slice("k; DROP TABLE x", 0, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new JdbcSourceConfig.Slice("k", 2, 3).contains(-1)).isTrue();
  }

  /** Slice {@code index} of 3 with the default checkpoint key, in pages of 10. */
  private static Source<Map<String, Object>> source(DataSource db, int index) {
    return Jdbc.source(
        JdbcSourceConfig.builder(db, "events", "seq").pageSize(10).slice("k", index, 3).build());
  }

  /** Reads up to {@code pages} pages, committing after each, as the runtime does. */
  private static List<Envelope<Map<String, Object>>> drain(
      Source<Map<String, Object>> source, CheckpointStore store, int pages) throws Exception {
    source.open(new PipelineContext("slice", new SimpleMeterRegistry(), store));
    List<Envelope<Map<String, Object>>> out = new ArrayList<>();
    for (int p = 0; p < pages && !source.isFinished(); p++) {
      List<Envelope<Map<String, Object>>> page = source.poll(1000, Duration.ofSeconds(1));
      out.addAll(page);
      if (!page.isEmpty()) {
        source.commit(page.get(page.size() - 1).position());
      }
    }
    source.close();
    return out;
  }

  private static List<Long> keys(List<Envelope<Map<String, Object>>> rows) {
    return rows.stream().map(e -> ((Number) e.value().get(key(e))).longValue()).toList();
  }

  private static String key(Envelope<Map<String, Object>> e) {
    return e.value().containsKey("k") ? "k" : "K";
  }
}
