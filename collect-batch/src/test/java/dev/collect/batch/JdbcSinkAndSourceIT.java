package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.DeadLetter;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JDBC sink's upserts and the JDBC source's keyset paging on every supported database. */
@Timeout(120)
class JdbcSinkAndSourceIT {

  static DataSource database(String name) throws Exception {
    return switch (name) {
      case "postgresql" -> Databases.postgres();
      case "mariadb" -> Databases.mariadb();
      default -> {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:sink" + Databases.unique() + ";DB_CLOSE_DELAY=-1");
        yield h2;
      }
    };
  }

  static List<Map<String, Object>> rows(int from, int to, String tag) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Map<String, Object> row = new HashMap<>();
      row.put("id", (long) i);
      row.put("tag", tag);
      row.put("seen_at", Instant.parse("2026-11-24T08:00:00Z").plusSeconds(i / 7));
      rows.add(row);
    }
    return rows;
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb", "h2"})
  void upsertsAreIdempotentAndABadRecordIsIsolated(String name) throws Exception {
    DataSource db = database(name);
    String table = "sink_" + Databases.unique();
    Databases.execute(
        db,
        "CREATE TABLE "
            + table
            + " (id BIGINT PRIMARY KEY, tag VARCHAR(10) NOT NULL, seen_at TIMESTAMP NOT NULL)");
    List<Map<String, Object>> first = rows(0, 500, "first");
    List<Map<String, Object>> replay = rows(250, 750, "second");
    replay.get(100).put("tag", "far-too-long-for-the-column"); // rejected by the database
    TestDeadLetterSink dead = new TestDeadLetterSink();

    for (List<Map<String, Object>> batch : List.of(first, replay)) {
      RunReport report =
          Pipeline.from(Source.fromList("rows", batch))
              .to(
                  Jdbc.sink(
                      JdbcSinkConfig.builder(db, table, List.of("id", "tag", "seen_at"))
                          .upsertOn("id")
                          .build()))
              .deadLetters(dead)
              .build()
              .run();
      assertThat(report.invariantHolds()).isTrue();
    }

    assertThat(Databases.queryLong(db, "SELECT count(*) FROM " + table)).isEqualTo(750);
    // The rejected replay of id 350 left the row as the first run wrote it.
    assertThat(
            Databases.queryLong(
                db, "SELECT count(*) FROM " + table + " WHERE id = 350 AND tag = 'first'"))
        .isEqualTo(1);
    assertThat(Databases.queryLong(db, "SELECT count(*) FROM " + table + " WHERE tag = 'second'"))
        .isEqualTo(499);
    assertThat(dead.letters()).hasSize(1);
    DeadLetter letter = dead.letters().get(0);
    assertThat(letter.stage().name()).isEqualTo("SINK");
    assertThat(letter.position()).containsEntry("sequence", 100L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb", "h2"})
  void extractsIncrementallyWithTheTieBreakerAcrossPages(String name) throws Exception {
    DataSource db = database(name);
    String table = "src_" + Databases.unique();
    Databases.execute(
        db,
        "CREATE TABLE "
            + table
            + " (id BIGINT PRIMARY KEY, tag VARCHAR(10), seen_at TIMESTAMP NOT NULL)");
    Pipeline.from(Source.fromList("rows", rows(0, 300, "a")))
        .to(Jdbc.sink(JdbcSinkConfig.builder(db, table, List.of("id", "tag", "seen_at")).build()))
        .build()
        .run();
    CheckpointStore store = CheckpointStore.inMemory();
    TestSink<Map<String, Object>> firstRun = new TestSink<>();
    TestSink<Map<String, Object>> secondRun = new TestSink<>();

    // Page size 5 < 7 rows per timestamp: pages end between rows with equal cursors.
    Pipeline.from(
            Jdbc.source(
                JdbcSourceConfig.builder(db, table, "seen_at")
                    .tieBreaker("id")
                    .pageSize(5)
                    .checkpoints(store, "k")
                    .build()))
        .to(firstRun)
        .build()
        .run();
    Pipeline.from(Source.fromList("rows", rows(300, 320, "b")))
        .to(Jdbc.sink(JdbcSinkConfig.builder(db, table, List.of("id", "tag", "seen_at")).build()))
        .build()
        .run();
    Pipeline.from(
            Jdbc.source(
                JdbcSourceConfig.builder(db, table, "seen_at")
                    .tieBreaker("id")
                    .pageSize(5)
                    .checkpoints(store, "k")
                    .build()))
        .to(secondRun)
        .build()
        .run();

    assertThat(firstRun.values())
        .extracting(m -> ((Number) value(m, "id")).longValue())
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 300).boxed().toList());
    assertThat(secondRun.values())
        .extracting(m -> ((Number) value(m, "id")).longValue())
        .containsExactlyElementsOf(java.util.stream.LongStream.range(300, 320).boxed().toList());
  }

  @org.junit.jupiter.api.Test
  void sqliteServesDemosWithAnIdCursor(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    org.sqlite.SQLiteDataSource db = new org.sqlite.SQLiteDataSource();
    db.setUrl("jdbc:sqlite:" + dir.resolve("demo.db"));
    Databases.execute(db, "CREATE TABLE clicks (id INTEGER PRIMARY KEY, tag TEXT NOT NULL)");
    List<Map<String, Object>> first = new ArrayList<>();
    for (long i = 1; i <= 100; i++) {
      first.add(Map.of("id", i, "tag", "t" + i));
    }
    Pipeline.from(Source.fromList("rows", first))
        .to(
            Jdbc.sink(
                JdbcSinkConfig.builder(db, "clicks", List.of("id", "tag")).upsertOn("id").build()))
        .build()
        .run();
    CheckpointStore store = JdbcCheckpointStore.create(db);
    TestSink<Map<String, Object>> firstRun = new TestSink<>();
    TestSink<Map<String, Object>> secondRun = new TestSink<>();

    Pipeline.from(
            Jdbc.source(
                JdbcSourceConfig.builder(db, "clicks", "id")
                    .pageSize(7)
                    .checkpoints(store, "clicks")
                    .build()))
        .to(firstRun)
        .build()
        .run();
    Databases.execute(db, "INSERT INTO clicks VALUES (101, 'new'), (102, 'new')");
    Pipeline.from(
            Jdbc.source(
                JdbcSourceConfig.builder(db, "clicks", "id")
                    .pageSize(7)
                    .checkpoints(store, "clicks")
                    .build()))
        .to(secondRun)
        .build()
        .run();

    assertThat(firstRun.size()).isEqualTo(100);
    assertThat(secondRun.values())
        .extracting(m -> ((Number) m.get("id")).longValue())
        .containsExactly(101L, 102L);
  }

  /** Column labels are lower case on PostgreSQL and MariaDB, upper case on H2. */
  static Object value(Map<String, Object> row, String column) {
    return row.containsKey(column) ? row.get(column) : row.get(column.toUpperCase());
  }
}
