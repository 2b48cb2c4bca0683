package dev.collect.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The before image is read from each change record, never from the table's current replica
 * identity: switching the identity while running, or replaying a backlog written under another
 * identity, reports exactly what each record carried.
 */
@Timeout(120)
class PostgresBeforeImageIT {
  private static Pg pg;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = Pg.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  private static String createTable() throws Exception {
    String table = Pg.unique("fruit");
    pg.exec(
        "CREATE TABLE " + table + " (id INT PRIMARY KEY, name TEXT NOT NULL, qty INT)",
        "ALTER TABLE " + table + " REPLICA IDENTITY FULL",
        "INSERT INTO " + table + " VALUES (1, 'apple', 5), (2, 'pear', 7), (3, 'plum', 9)");
    return table;
  }

  private static Pipeline pipeline(String name, String table, TestSink<ChangeEvent> sink, Path cp) {
    return Pipeline.from(
            Cdc.source(pg.config(name, table).snapshotMode(SnapshotMode.NO_DATA).build()))
        .to(sink)
        .checkpoints(CheckpointStore.directory(cp))
        .commitInterval(Duration.ofMillis(200))
        .build();
  }

  private static List<ChangeEvent> changes(TestSink<ChangeEvent> sink, String table) {
    return PostgresCdcIT.of(sink, table).stream()
        .filter(e -> e.operation() != Operation.SCHEMA_CHANGE)
        .toList();
  }

  private static Map<String, Object> row(Object id, Object name, Object qty) {
    Map<String, Object> row = new HashMap<>();
    row.put("id", id);
    row.put("name", name);
    row.put("qty", qty);
    return row;
  }

  @Test
  void identitySwitchedWhileRunningIsReadFromEachRecord(@TempDir Path dir) throws Exception {
    String table = createTable();
    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline pipeline = pipeline(Pg.unique("bi"), table, sink, dir);
    pipeline.start();
    PostgresCdcIT.awaitReady(pipeline);

    pg.exec("UPDATE " + table + " SET qty = 6 WHERE id = 1");
    pg.exec(
        "ALTER TABLE " + table + " REPLICA IDENTITY DEFAULT",
        "UPDATE " + table + " SET id = 30 WHERE id = 3",
        "DELETE FROM " + table + " WHERE id = 1",
        "UPDATE " + table + " SET qty = 8 WHERE id = 2");
    pg.exec(
        "ALTER TABLE " + table + " REPLICA IDENTITY FULL",
        "UPDATE " + table + " SET qty = NULL WHERE id = 2",
        "DELETE FROM " + table + " WHERE id = 2");
    PostgresCdcIT.await(pipeline, sink, table, l -> changes(sink, table).size() >= 7);
    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    List<ChangeEvent> events = changes(sink, table);
    assertThat(events)
        .as("%s", events)
        .extracting(ChangeEvent::operation, ChangeEvent::beforeImage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Operation.UPDATE, BeforeImage.FULL),
            org.assertj.core.groups.Tuple.tuple(Operation.DELETE, BeforeImage.UNKNOWN),
            org.assertj.core.groups.Tuple.tuple(Operation.CREATE, BeforeImage.NOT_APPLICABLE),
            org.assertj.core.groups.Tuple.tuple(Operation.DELETE, BeforeImage.UNKNOWN),
            org.assertj.core.groups.Tuple.tuple(Operation.UPDATE, BeforeImage.NONE),
            org.assertj.core.groups.Tuple.tuple(Operation.UPDATE, BeforeImage.FULL),
            org.assertj.core.groups.Tuple.tuple(Operation.DELETE, BeforeImage.FULL));
    assertThat(events.get(0).before()).isEqualTo(row(1, "apple", 5));
    assertThat(events.get(0).changedFields()).isEqualTo(Map.of("qty", new FieldChange(5, 6)));
    // The key change: a DELETE of the old key and a CREATE of the new, in one transaction.
    ChangeEvent oldKey = events.get(1);
    ChangeEvent newKey = events.get(2);
    assertThat(oldKey.before()).isEqualTo(Map.of("id", 3));
    assertThat(newKey.after()).isEqualTo(row(30, "plum", 9));
    assertThat(newKey.source().transactionId()).isEqualTo(oldKey.source().transactionId());
    assertThat(newKey.source().lsn()).isEqualTo(oldKey.source().lsn());
    assertThat(events.get(3).before()).isEqualTo(Map.of("id", 1));
    assertThat(events.get(4).before()).isNull();
    assertThat(events.get(4).changedFieldsKnown()).isFalse();
    assertThat(events.get(5).before()).isEqualTo(row(2, "pear", 8));
    assertThat(events.get(5).changedFieldsKnown()).isTrue();
    assertThat(events.get(5).changedFields()).isEqualTo(Map.of("qty", new FieldChange(8, null)));
    assertThat(events.get(6).before()).isEqualTo(row(2, "pear", null));
  }

  @Test
  void backlogWrittenUnderAnotherIdentityIsReadFromEachRecord(@TempDir Path dir) throws Exception {
    String table = createTable();
    String name = Pg.unique("bl");
    TestSink<ChangeEvent> first = new TestSink<>();
    Pipeline running = pipeline(name, table, first, dir);
    running.start();
    PostgresCdcIT.awaitReady(running);
    pg.exec("UPDATE " + table + " SET qty = 6 WHERE id = 1");
    PostgresCdcIT.await(running, first, table, l -> !changes(first, table).isEmpty());
    assertThat(running.stop(Duration.ofSeconds(30)).invariantHolds()).isTrue();

    // While the pipeline is down: changes under FULL, then DEFAULT, then FULL again.
    pg.exec("UPDATE " + table + " SET qty = 11 WHERE id = 2");
    pg.exec(
        "ALTER TABLE " + table + " REPLICA IDENTITY DEFAULT",
        "DELETE FROM " + table + " WHERE id = 1",
        "UPDATE " + table + " SET qty = 10 WHERE id = 3");
    pg.exec(
        "ALTER TABLE " + table + " REPLICA IDENTITY FULL",
        "DELETE FROM " + table + " WHERE id = 2");
    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline resumed = pipeline(name, table, sink, dir);
    resumed.start();
    PostgresCdcIT.await(resumed, sink, table, l -> changes(sink, table).size() >= 4);
    RunReport report = resumed.stop(Duration.ofSeconds(30));
    pg.dropSlot(name.toLowerCase());

    assertThat(report.invariantHolds()).isTrue();
    List<ChangeEvent> events = changes(sink, table);
    assertThat(events)
        .as("%s", events)
        .extracting(ChangeEvent::operation, ChangeEvent::beforeImage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Operation.UPDATE, BeforeImage.FULL),
            org.assertj.core.groups.Tuple.tuple(Operation.DELETE, BeforeImage.UNKNOWN),
            org.assertj.core.groups.Tuple.tuple(Operation.UPDATE, BeforeImage.NONE),
            org.assertj.core.groups.Tuple.tuple(Operation.DELETE, BeforeImage.FULL));
    assertThat(events.get(0).before()).isEqualTo(row(2, "pear", 7));
    assertThat(events.get(1).before()).isEqualTo(Map.of("id", 1));
    assertThat(events.get(2).before()).isNull();
    assertThat(events.get(3).before()).isEqualTo(row(2, "pear", 11));
  }

  @Test
  void anIndexIdentityReadsAsFullAndNotNullDefaultsAsUnknown(@TempDir Path dir) throws Exception {
    String table = Pg.unique("kit");
    pg.exec(
        "CREATE TABLE "
            + table
            + " (id INT PRIMARY KEY, code TEXT NOT NULL, n INT NOT NULL, flag BOOLEAN NOT NULL,"
            + " note TEXT)",
        "CREATE UNIQUE INDEX " + table + "_code ON " + table + " (code)",
        "ALTER TABLE " + table + " REPLICA IDENTITY USING INDEX " + table + "_code",
        "INSERT INTO "
            + table
            + " VALUES (1, 'A', 5, true, 'x'), (2, 'B', 6, true, 'y'), (3, '', 0, false, NULL)");
    TestSink<ChangeEvent> sink = new TestSink<>();
    Pipeline pipeline = pipeline(Pg.unique("ix"), table, sink, dir);
    pipeline.start();
    PostgresCdcIT.awaitReady(pipeline);

    pg.exec("DELETE FROM " + table + " WHERE id = 1"); // old tuple: the index column only
    pg.exec(
        "ALTER TABLE " + table + " REPLICA IDENTITY DEFAULT",
        "DELETE FROM " + table + " WHERE id = 2"); // old tuple: the key only
    pg.exec(
        "ALTER TABLE " + table + " REPLICA IDENTITY FULL",
        "DELETE FROM " + table + " WHERE id = 3"); // the whole row, all defaults or null
    PostgresCdcIT.await(pipeline, sink, table, l -> changes(sink, table).size() >= 3);
    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    assertThat(report.invariantHolds()).isTrue();
    List<ChangeEvent> events = changes(sink, table);
    assertThat(events)
        .as("%s", events)
        .extracting(ChangeEvent::operation, ChangeEvent::beforeImage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Operation.DELETE, BeforeImage.FULL),
            org.assertj.core.groups.Tuple.tuple(Operation.DELETE, BeforeImage.UNKNOWN),
            org.assertj.core.groups.Tuple.tuple(Operation.DELETE, BeforeImage.UNKNOWN));
    // Only the index column was sent: the rest, the primary key included, are Debezium's fill-ins.
    Map<String, Object> fillIns = new HashMap<>();
    fillIns.put("id", 0);
    fillIns.put("code", "A");
    fillIns.put("n", 0);
    fillIns.put("flag", false);
    fillIns.put("note", null);
    assertThat(events.get(0).before()).isEqualTo(fillIns);
    assertThat(events.get(0).key()).isEqualTo(Map.of("id", 0));
    assertThat(events.get(1).before()).isEqualTo(Map.of("id", 2));
    assertThat(events.get(2).before()).isEqualTo(Map.of("id", 3));
  }
}
