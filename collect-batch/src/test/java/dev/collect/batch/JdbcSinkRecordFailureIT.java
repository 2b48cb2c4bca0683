package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.collect.core.BatchPolicy;
import dev.collect.core.DeadLetter;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineFailedException;
import dev.collect.core.RetryPolicy;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import dev.collect.core.Stage;
import dev.collect.core.testing.TestDeadLetterSink;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A row the database refuses is dead-lettered at once, alone and with the driver's exception, on
 * every supported database; an unreachable database is an outage, never dead letters. Each run has
 * a ten-minute outage budget and must end within seconds: a constraint violation mistaken for an
 * outage would block for the whole budget.
 */
@Timeout(180)
class JdbcSinkRecordFailureIT {
  private static final Duration BOUND = Duration.ofSeconds(20);

  /** A record Jackson cannot turn into a row without the JDK 8 module: the sink's conversion. */
  record Unconvertible(long id, Optional<String> tag) {}

  private static List<Object> records() {
    List<Object> out = new ArrayList<>();
    for (long i = 0; i < 300; i++) {
      Map<String, Object> row = new HashMap<>();
      row.put("id", i);
      row.put("tag", "t" + i);
      row.put("amount", i);
      out.add(row);
    }
    row(out, 60).put("tag", null); // NOT NULL
    row(out, 90).put("tag", "far-too-long-for-the-column"); // VARCHAR(10)
    row(out, 120).put("amount", -1L); // CHECK (amount >= 0)
    // 150: its id is in the table before the run (PRIMARY KEY)
    out.set(210, new Unconvertible(210, Optional.of("x")));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> row(List<Object> records, int i) {
    return (Map<String, Object>) records.get(i);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb", "h2"})
  void rowsTheDatabaseRefusesAreDeadLetteredAloneWithoutWaitingOutTheOutageBudget(String name)
      throws Exception {
    DataSource db = JdbcSinkAndSourceIT.database(name);
    String table = "refuse_" + Databases.unique();
    Databases.execute(
        db,
        "CREATE TABLE "
            + table
            + " (id BIGINT PRIMARY KEY, tag VARCHAR(10) NOT NULL,"
            + " amount BIGINT NOT NULL CHECK (amount >= 0))",
        "INSERT INTO " + table + " (id, tag, amount) VALUES (150, 'before', 0)");
    Sink<Object> sink =
        Jdbc.sink(JdbcSinkConfig.builder(db, table, List.of("id", "tag", "amount")).build());
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                Pipeline.from(Source.fromList("rows", records()))
                    .to(sink)
                    .deadLetters(dead)
                    .workers(2)
                    .batch(BatchPolicy.ofRecords(64))
                    .retry(RetryPolicy.builder().outageBudget(Duration.ofMinutes(10)).build())
                    .build()
                    .run());

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(295);
    Map<Long, DeadLetter> bySequence =
        dead.letters().stream()
            .collect(Collectors.toMap(l -> (Long) l.position().get("sequence"), l -> l));
    assertThat(bySequence).containsOnlyKeys(60L, 90L, 120L, 150L, 210L);
    for (long sqlRefusal : List.of(60L, 90L, 120L, 150L)) {
      assertThat(SQLException.class)
          .as("the exception of record %d", sqlRefusal)
          .isAssignableFrom(Class.forName(bySequence.get(sqlRefusal).errorClass()));
    }
    assertThat(bySequence.get(210L).errorClass())
        .isEqualTo(IllegalArgumentException.class.getName());
    assertThat(dead.letters())
        .allSatisfy(
            l -> {
              assertThat(l.stage()).isEqualTo(Stage.SINK);
              assertThat(l.reason()).isEqualTo("rejected");
              assertThat(l.retryable()).isFalse();
            });
    assertThat(Databases.queryLong(db, "SELECT count(*) FROM " + table)).isEqualTo(296);
    assertThat(
            Databases.queryLong(
                db, "SELECT count(*) FROM " + table + " WHERE id = 150 AND tag = 'before'"))
        .isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb"})
  void anUnreachableDatabaseIsAnOutageNotDeadLetters(String name) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    DataSource db;
    SqlDialect dialect;
    if (name.equals("postgresql")) {
      PGSimpleDataSource pg = new PGSimpleDataSource();
      pg.setUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres?connectTimeout=2");
      db = pg;
      dialect = SqlDialect.POSTGRESQL;
    } else {
      MariaDbDataSource maria = new MariaDbDataSource();
      maria.setUrl("jdbc:mariadb://127.0.0.1:" + closedPort + "/test?connectTimeout=2000");
      db = maria;
      dialect = SqlDialect.MARIADB;
    }
    Sink<Object> sink =
        Jdbc.sink(
            JdbcSinkConfig.builder(db, "nowhere", List.of("id", "tag", "amount"))
                .dialect(dialect)
                .build());
    TestDeadLetterSink dead = new TestDeadLetterSink();

    assertThatThrownBy(
            () ->
                Pipeline.from(Source.fromList("rows", records()))
                    .to(sink)
                    .deadLetters(dead)
                    .retry(RetryPolicy.builder().outageBudget(Duration.ofSeconds(2)).build())
                    .build()
                    .run())
        .isInstanceOf(PipelineFailedException.class)
        .hasMessageContaining("outage budget");
    assertThat(dead.letters()).isEmpty();
  }
}
