package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.BatchPolicy;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteDataSource;

/** The JDBC sink writes each batch in one transaction, and its upserts are idempotent. */
@Timeout(120)
class JdbcSinkTransactionIT {
  static final List<String> COLUMNS = List.of("id", "tag", "seen_at");

  @TempDir Path dir;

  private DataSource database(String name) throws Exception {
    if (name.equals("sqlite")) {
      SQLiteDataSource sqlite = new SQLiteDataSource();
      sqlite.setUrl("jdbc:sqlite:" + dir.resolve("sink.db"));
      return sqlite;
    }
    return JdbcSinkAndSourceIT.database(name);
  }

  private static String createTable(DataSource db) throws SQLException {
    String table = "tx_" + Databases.unique();
    Databases.execute(
        db,
        "CREATE TABLE "
            + table
            + " (id BIGINT PRIMARY KEY, tag VARCHAR(10) NOT NULL, seen_at TIMESTAMP NOT NULL)");
    return table;
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb", "h2"})
  void aBatchWithABadLastRowCommitsNoneOfItsRows(String name) throws Exception {
    DataSource db = database(name);
    String table = createTable(db);
    Sink<Map<String, Object>> sink = Jdbc.sink(JdbcSinkConfig.builder(db, table, COLUMNS).build());
    List<Envelope<Map<String, Object>>> batch = new ArrayList<>();
    for (Map<String, Object> row : JdbcSinkAndSourceIT.rows(0, 100, "ok")) {
      batch.add(Envelope.of(row));
    }
    batch.get(99).value().put("tag", "far-too-long-for-the-column");

    assertThatThrownBy(() -> sink.write(batch)).isInstanceOf(SQLException.class);

    assertThat(Databases.queryLong(db, "SELECT count(*) FROM " + table)).isZero();
  }

  @Test
  void everyBatchIsOneTransactionOnPostgresql() throws Exception {
    DataSource db = Databases.postgres();
    String table = createTable(db);
    Sink<Map<String, Object>> jdbc = Jdbc.sink(JdbcSinkConfig.builder(db, table, COLUMNS).build());
    List<Set<Long>> batches = new CopyOnWriteArrayList<>();
    Sink<Map<String, Object>> recording =
        Sink.of(
            "recording",
            batch -> {
              Set<Long> ids = new HashSet<>();
              batch.forEach(e -> ids.add((Long) e.value().get("id")));
              jdbc.write(batch);
              batches.add(ids);
            });

    RunReport report =
        Pipeline.from(Source.fromList("rows", JdbcSinkAndSourceIT.rows(0, 1000, "ok")))
            .to(recording)
            .batch(BatchPolicy.ofRecords(100))
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(1000);
    // xmin is the id of the transaction that inserted the row: one per batch, none shared.
    Map<Long, String> xminById = xminById(db, table);
    assertThat(xminById).hasSize(1000);
    Set<String> seen = new HashSet<>();
    for (Set<Long> ids : batches) {
      Set<String> xmins = new HashSet<>();
      ids.forEach(id -> xmins.add(xminById.get(id)));
      assertThat(xmins).hasSize(1);
      assertThat(seen.add(xmins.iterator().next())).isTrue();
    }
    assertThat(batches.stream().mapToInt(Set::size).sum()).isEqualTo(1000);
  }

  private static Map<Long, String> xminById(DataSource db, String table) throws SQLException {
    Map<Long, String> out = new java.util.HashMap<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, xmin::text FROM " + table)) {
      while (rs.next()) {
        out.put(rs.getLong(1), rs.getString(2));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb", "h2", "sqlite"})
  void upsertingTheSameRecordsAgainLeavesTheTableAsItWas(String name) throws Exception {
    DataSource db = database(name);
    String table = createTable(db);
    List<Map<String, Object>> rows = JdbcSinkAndSourceIT.rows(0, 300, "once");

    List<List<String>> after = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      RunReport report =
          Pipeline.from(Source.fromList("rows", rows))
              .to(Jdbc.sink(JdbcSinkConfig.builder(db, table, COLUMNS).upsertOn("id").build()))
              .build()
              .run();
      assertThat(report.invariantHolds()).isTrue();
      assertThat(report.written()).isEqualTo(300);
      after.add(contents(db, table));
    }

    assertThat(after.get(0)).hasSize(300);
    assertThat(after.get(1)).isEqualTo(after.get(0));
  }

  private static List<String> contents(DataSource db, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, tag, seen_at FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
      }
    }
    return out;
  }
}
