package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three scheduler processes share job {@code copy} (every 2 s, lease 3 s) through PostgreSQL; one
 * is SIGKILLed in the middle of a run.
 */
@Timeout(120)
class ClusteredJobSchedulerIT {
  /**
   * Rows the killed run may have written after its last commit, which its successor copies again.
   * The pipeline commits every 100 ms in batches of at most 10 rows of 40 ms each: a tail is about
   * one batch; 20 leaves room for a slow machine and is under one run's ~35 rows.
   */
  static final long MAX_UNCOMMITTED_TAIL = 20;

  record HistoryRow(long fire, String trigger, String outcome, String instance, int attempt) {}

  @Test
  void eachFireTimeRunsOnceAndAKilledRunIsCompletedByAnotherInstance() throws Exception {
    DataSource db = Databases.postgres();
    String suffix = Databases.unique();
    Databases.execute(
        db,
        "CREATE TABLE src_" + suffix + " (id BIGSERIAL PRIMARY KEY, payload TEXT)",
        "CREATE TABLE out_" + suffix + " (id BIGINT NOT NULL, copied_by TEXT NOT NULL)",
        "CREATE TABLE starts_" + suffix + " (instance TEXT NOT NULL)");
    Map<String, Process> instances = new LinkedHashMap<>();
    String killed;
    long killedFire;
    try {
      JobScheduler.clustered(cluster(db, suffix)).close(); // creates the tables
      for (String name : List.of("a", "b", "c")) {
        instances.put(name, start(suffix, name));
      }
      awaitReady(instances.keySet(), suffix);
      long producing = System.nanoTime() + TimeUnit.SECONDS.toNanos(24);
      long killAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String[] victim = null;
      while (System.nanoTime() < producing) {
        insert(db, suffix, 5);
        Thread.sleep(300);
        if (victim == null && System.nanoTime() > killAt) {
          victim = runningFor(db, suffix, 400);
          if (victim != null) {
            instances.get(victim[0]).destroyForcibly(); // SIGKILL on Linux
            assertThat(instances.get(victim[0]).waitFor(10, TimeUnit.SECONDS)).isTrue();
            String[] interrupted = lease(db, suffix); // the dead instance cannot change it now
            if (interrupted != null && interrupted[0].equals(victim[0])) {
              victim = interrupted; // the run the kill interrupted (its next one, on a slow day)
            } else {
              // On a slow machine the run may end between the check and the kill: nothing was
              // interrupted, so start the instance again and catch another run.
              instances.put(victim[0], start(suffix, victim[0]));
              awaitReady(List.of(victim[0]), suffix, 2);
              victim = null;
            }
          }
        }
      }
      assertThat(victim).as("a run was caught in progress and its instance killed").isNotNull();
      killed = victim[0];
      killedFire = Long.parseLong(victim[1]);
      long rows = Databases.queryLong(db, "SELECT count(*) FROM src_" + suffix);
      awaitIdleWithAllCopied(db, suffix, rows);
    } finally {
      for (Process p : instances.values()) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }

    List<HistoryRow> history = history(db, suffix);
    long sourceRows = Databases.queryLong(db, "SELECT count(*) FROM src_" + suffix);
    long starts = Databases.queryLong(db, "SELECT count(*) FROM starts_" + suffix);
    List<Long> fires = history.stream().map(HistoryRow::fire).toList();
    assertThat(history).hasSizeGreaterThanOrEqualTo(4);
    assertThat(fires).doesNotHaveDuplicates().isSorted();
    // all instances follow one sequence of fire times, 2 s apart from the first
    assertThat(fires).allMatch(f -> (f - fires.get(0)) % ClusteredCopyJob.EVERY.toMillis() == 0);
    // one pipeline started per recorded run, plus the killed attempt: no fire time ran twice
    assertThat(starts).isEqualTo(history.size() + 1);
    assertThat(history).allMatch(r -> r.outcome().equals("COMPLETED"));
    HistoryRow takenOver =
        history.stream().filter(r -> r.fire() == killedFire).findFirst().orElseThrow();
    assertThat(takenOver.instance()).isNotEqualTo(killed);
    assertThat(takenOver.trigger()).isEqualTo("takeover");
    assertThat(takenOver.attempt()).isEqualTo(2);
    assertThat(history.stream().filter(r -> r.fire() != killedFire))
        .allMatch(r -> r.attempt() == 1 && !r.trigger().equals("takeover"));

    assertThat(Databases.queryLong(db, "SELECT count(DISTINCT id) FROM out_" + suffix))
        .isEqualTo(sourceRows);
    long copies = Databases.queryLong(db, "SELECT count(*) FROM out_" + suffix);
    long duplicatedByKilled =
        Databases.queryLong(
            db,
            "SELECT count(*) FROM (SELECT id FROM out_"
                + suffix
                + " GROUP BY id HAVING count(*) > 1 AND count(*) FILTER (WHERE copied_by = '"
                + killed
                + "') = 1 AND count(*) = 2) d");
    assertThat(copies - sourceRows).isBetween(0L, MAX_UNCOMMITTED_TAIL);
    assertThat(duplicatedByKilled).isEqualTo(copies - sourceRows);
    assertThat(
            Databases.queryLong(
                db, "SELECT count(*) FROM jobs_" + suffix + "_runs WHERE received <> written"))
        .isZero();
  }

  static SchedulerCluster cluster(DataSource db, String suffix) {
    return SchedulerCluster.of(db)
        .withLease(ClusteredCopyJob.LEASE, ClusteredCopyJob.POLL)
        .withTablePrefix("jobs_" + suffix);
  }

  private static Path logs(String suffix) {
    return Path.of("target", "cluster-it-" + suffix);
  }

  /** Waits (the machine may be slow to start JVMs) until every instance says it started. */
  private static void awaitReady(Iterable<String> names, String suffix) throws Exception {
    awaitReady(names, suffix, 1);
  }

  /** Waits until each instance's log says it started {@code times} times (its log is appended). */
  private static void awaitReady(Iterable<String> names, String suffix, int times)
      throws Exception {
    for (String name : names) {
      Path log = logs(suffix).resolve(name + ".log");
      while (Files.readString(log).split(ClusteredCopyJob.READY, -1).length - 1 < times) {
        Thread.sleep(100);
      }
    }
  }

  private Process start(String suffix, String instance) throws Exception {
    Path logs = Files.createDirectories(logs(suffix));
    return ChildJvm.start(
        ClusteredCopyJob.class,
        logs.resolve(instance + ".log"),
        Databases.postgresUrl(),
        suffix,
        instance);
  }

  private static void insert(DataSource db, String suffix, int n) throws Exception {
    Databases.execute(
        db,
        "INSERT INTO src_"
            + suffix
            + " (payload) SELECT 'row-' || i FROM generate_series(1, "
            + n
            + ") AS i");
  }

  /**
   * The instance and fire time of a run that has written rows and is still going {@code
   * afterMillis} later, or null.
   */
  private static String[] runningFor(DataSource db, String suffix, long afterMillis)
      throws Exception {
    String[] first = lease(db, suffix);
    if (first == null) {
      return null;
    }
    Thread.sleep(afterMillis);
    String[] later = lease(db, suffix);
    return later != null && later[0].equals(first[0]) && later[1].equals(first[1]) ? later : null;
  }

  private static String[] lease(DataSource db, String suffix) throws Exception {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT owner, fire_ms FROM jobs_" + suffix + "_leases WHERE running = 1")) {
      return rs.next() ? new String[] {rs.getString(1), Long.toString(rs.getLong(2))} : null;
    }
  }

  private static void awaitIdleWithAllCopied(DataSource db, String suffix, long rows)
      throws Exception {
    while (true) {
      long copied = Databases.queryLong(db, "SELECT count(DISTINCT id) FROM out_" + suffix);
      if (copied == rows && lease(db, suffix) == null) {
        return;
      }
      Thread.sleep(100);
    }
  }

  private static List<HistoryRow> history(DataSource db, String suffix) throws Exception {
    List<HistoryRow> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT scheduled_for_ms, run_trigger, outcome, instance, attempt FROM jobs_"
                    + suffix
                    + "_runs ORDER BY scheduled_for_ms")) {
      while (rs.next()) {
        rows.add(
            new HistoryRow(
                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
      }
    }
    return rows;
  }
}
