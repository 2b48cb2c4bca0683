package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Pipeline;
import dev.collect.core.Source;
import dev.collect.core.testing.TestSink;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clustered schedulers in one JVM on H2: shared fire times, the missed-run policies, lease renewal,
 * manual runs and the runs table.
 */
@Timeout(60)
class ClusteredJobSchedulerTest {
  static final Duration EVERY = Duration.ofMillis(500);

  private static DataSource h2() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:cluster_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    return h2;
  }

  private static SchedulerCluster cluster(DataSource db, String instance) {
    return SchedulerCluster.of(db)
        .withInstance(instance)
        .withLease(Duration.ofSeconds(2), Duration.ofMillis(100));
  }

  /** Starts schedulers a and b with job {@code j} whose lease row says it last fired 10 s ago. */
  private static List<JobRun> runTwoInstances(MissedRunPolicy policy, int runs) throws Exception {
    return runTwoInstances(policy, runs, System.currentTimeMillis() - 10_000);
  }

  private static List<JobRun> runTwoInstances(MissedRunPolicy policy, int runs, long lastFire)
      throws Exception {
    DataSource db = h2();
    try (JobScheduler a = JobScheduler.clustered(cluster(db, "a"));
        JobScheduler b = JobScheduler.clustered(cluster(db, "b"))) {
      Databases.execute(
          db, "INSERT INTO collect_job_leases VALUES ('j', " + lastFire + ", NULL, 0, 0, 0)");
      for (JobScheduler s : List.of(a, b)) {
        s.add(new Job("j", JobSchedulerTest::threeRecords, Schedule.fixedRate(EVERY), policy));
        s.start();
      }
      while (a.history("j").size() < runs) {
        Thread.sleep(20);
      }
      return a.history("j");
    }
  }

  @Test
  void twoInstancesRunEachFireTimeOnceOnOneGrid() throws Exception {
    List<JobRun> history = runTwoInstances(MissedRunPolicy.RUN_ONCE, 5);

    List<Instant> fires = history.stream().map(JobRun::scheduledFor).toList();
    assertThat(fires).doesNotHaveDuplicates().isSorted();
    assertThat(fires)
        .allMatch(f -> Duration.between(fires.get(0), f).toMillis() % EVERY.toMillis() == 0);
    assertThat(history).allMatch(r -> r.outcome() == JobRun.Outcome.COMPLETED);
    assertThat(history).allMatch(r -> r.written() == 3 && r.received() == 3);
    assertThat(history).allMatch(r -> r.instance().equals("a") || r.instance().equals("b"));
  }

  @Test
  void runOnceRunsOneCatchUpRunForTheMissedFireTimes() throws Exception {
    List<JobRun> history = runTwoInstances(MissedRunPolicy.RUN_ONCE, 1);

    assertThat(history.get(0).trigger()).isEqualTo("missed");
    assertThat(history.get(0).scheduledFor()).isAfter(Instant.now().minus(EVERY.multipliedBy(4)));
  }

  @Test
  void skipForgetsTheMissedFireTimesAndRunsTheNextOne() throws Exception {
    List<JobRun> history = runTwoInstances(MissedRunPolicy.SKIP, 1);

    assertThat(history.get(0).trigger()).isEqualTo("schedule");
  }

  @Test
  void runOnceRunsExactlyOneMissedRunForAllTheFireTimesMissed() throws Exception {
    long now = System.currentTimeMillis();
    long lastFire = now - 10_000;
    // The newest fire time of the grid that had passed before the schedulers started.
    Instant newestMissed =
        Instant.ofEpochMilli(lastFire + 10_000 / EVERY.toMillis() * EVERY.toMillis());

    List<JobRun> history = runTwoInstances(MissedRunPolicy.RUN_ONCE, 2, lastFire);

    // Twenty fire times were missed: the first run is the one run for all of them.
    assertThat(history.get(0).trigger()).isEqualTo("missed");
    assertThat(history.get(0).scheduledFor()).isAfterOrEqualTo(newestMissed);
    assertThat(history.get(1).scheduledFor()).isAfter(history.get(0).scheduledFor());
    assertThat(history).allMatch(ClusteredJobSchedulerTest::noLoss);
  }

  @Test
  void theWinnerRenewsItsLeaseSoARunThatOutlastsItIsNotTakenOver() throws Exception {
    DataSource db = h2();
    // 20 polls per lease: only a stall of the whole JVM for 1.9 s could let the lease lapse.
    Duration lease = Duration.ofSeconds(2);
    AtomicInteger starts = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Supplier<Pipeline> gated =
        () -> {
          starts.incrementAndGet();
          await(release);
          return JobSchedulerTest.threeRecords();
        };
    try (JobScheduler a = JobScheduler.clustered(cluster(db, "a").withLease(lease, EVERY_100));
        JobScheduler b = JobScheduler.clustered(cluster(db, "b").withLease(lease, EVERY_100))) {
      insertDueLease(db, "j", Duration.ofHours(1));
      for (JobScheduler s : List.of(a, b)) {
        s.add(Job.of("j", Schedule.fixedRate(Duration.ofHours(1)), gated));
        s.start();
      }
      waitFor(() -> starts.get() == 1);
      long claimedBy = System.currentTimeMillis();

      // The run goes on for three leases; every lease end the test sees is still ahead of it.
      long maxLeaseEnd = 0;
      while (System.currentTimeMillis() < claimedBy + 3 * lease.toMillis()) {
        maxLeaseEnd = Math.max(maxLeaseEnd, queryLong(db, "SELECT lease_until_ms FROM " + LEASES));
        Thread.sleep(50);
      }
      release.countDown();
      waitFor(() -> !a.history("j").isEmpty());

      assertThat(starts).hasValue(1);
      assertThat(maxLeaseEnd).isGreaterThan(claimedBy + 2 * lease.toMillis());
      assertThat(a.history("j"))
          .singleElement()
          .satisfies(
              run -> {
                assertThat(run.trigger()).isEqualTo("schedule");
                assertThat(run.outcome()).isEqualTo(JobRun.Outcome.COMPLETED);
                assertThat(noLoss(run)).isTrue();
              });
      assertThat(queryLong(db, "SELECT MAX(attempt) FROM collect_job_runs")).isEqualTo(1);
    }
  }

  @Test
  void runNowTakesNoLease() throws Exception {
    DataSource db = h2();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Supplier<Pipeline> gated =
        () -> {
          running.countDown();
          await(release);
          return JobSchedulerTest.threeRecords();
        };
    try (JobScheduler a = JobScheduler.clustered(cluster(db, "a"))) {
      a.add(Job.of("j", Schedule.fixedRate(Duration.ofHours(1)), gated));
      a.start();
      waitFor(() -> count(db, "SELECT COUNT(*) FROM " + LEASES) == 1);
      String before = leaseRow(db);

      CompletableFuture<JobRun> manual = CompletableFuture.supplyAsync(() -> a.runNow("j"));
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      String during = leaseRow(db);
      release.countDown();
      JobRun run = manual.get(10, TimeUnit.SECONDS);

      assertThat(before).endsWith("owner=null lease_until=0 running=0 attempt=0");
      assertThat(during).isEqualTo(before);
      assertThat(leaseRow(db)).isEqualTo(before);
      assertThat(run.trigger()).isEqualTo("manual");
      assertThat(run.scheduledFor()).isNull();
      assertThat(noLoss(run)).isTrue();
      assertThat(a.history("j")).singleElement().extracting(JobRun::trigger).isEqualTo("manual");
    }
  }

  @Test
  void anOverrunRecordsNoOverlapAndOneMissedRunForTheFireTimesItCovered() throws Exception {
    DataSource db = h2();
    Duration every = Duration.ofSeconds(1);
    AtomicInteger starts = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Supplier<Pipeline> firstOverruns =
        () -> {
          if (starts.incrementAndGet() == 1) {
            await(release);
          }
          return JobSchedulerTest.threeRecords();
        };
    try (JobScheduler a = JobScheduler.clustered(cluster(db, "a"));
        JobScheduler b = JobScheduler.clustered(cluster(db, "b"))) {
      insertDueLease(db, "j", every);
      for (JobScheduler s : List.of(a, b)) {
        s.add(new Job("j", firstOverruns, Schedule.fixedRate(every), MissedRunPolicy.RUN_ONCE));
        s.start();
      }
      waitFor(() -> starts.get() == 1);
      Instant firstFire = Instant.ofEpochMilli(queryLong(db, "SELECT fire_ms FROM " + LEASES));
      // The first run overruns three more fire times of its grid.
      while (Instant.now().isBefore(firstFire.plus(every.multipliedBy(3)).plusMillis(300))) {
        Thread.sleep(20);
      }
      release.countDown();
      waitFor(() -> a.history("j").size() >= 2);

      List<JobRun> history = a.history("j");
      assertThat(history).noneMatch(r -> r.outcome() == JobRun.Outcome.SKIPPED_OVERLAP);
      assertThat(history.get(0).scheduledFor()).isEqualTo(firstFire);
      assertThat(history.get(0).trigger()).isEqualTo("schedule");
      JobRun catchUp = history.get(1);
      assertThat(catchUp.trigger()).isEqualTo("missed");
      assertThat(catchUp.scheduledFor()).isAfterOrEqualTo(firstFire.plus(every.multipliedBy(3)));
      assertThat(Duration.between(firstFire, catchUp.scheduledFor()).toMillis() % every.toMillis())
          .isZero();
      assertThat(history).allMatch(ClusteredJobSchedulerTest::noLoss);
    }
  }

  @Test
  void aDueFireTimeIsPickedUpWithinOnePoll() throws Exception {
    DataSource db = h2();
    Duration every = Duration.ofSeconds(1);
    try (JobScheduler a = JobScheduler.clustered(SchedulerCluster.of(db).withInstance("a"))) {
      a.add(Job.of("j", Schedule.fixedRate(every), JobSchedulerTest::threeRecords));

      a.start();
      waitFor(() -> a.history("j").size() >= 3);

      // Polls are one interval apart from the end of the previous one; the allowance is for the
      // poll's own queries on H2 and handing the run to its thread, on a loaded machine.
      Duration onePoll = SchedulerCluster.DEFAULT_POLL.plusSeconds(1);
      assertThat(a.history("j"))
          .allSatisfy(
              run -> {
                assertThat(Duration.between(run.scheduledFor(), run.startedAt()))
                    .isLessThanOrEqualTo(onePoll);
                assertThat(run.trigger()).isEqualTo("schedule");
                assertThat(noLoss(run)).isTrue();
              });
    }
  }

  @Test
  void theRunsTableIsNeverPrunedWhileHistoryReturnsTheNewestRuns() throws Exception {
    DataSource db = h2();
    AtomicInteger runs = new AtomicInteger();
    int total = JobScheduler.HISTORY_SIZE + 5;
    try (JobScheduler a = JobScheduler.clustered(cluster(db, "a"))) {
      a.add(
          Job.of(
              "j", Schedule.fixedRate(Duration.ofHours(1)), () -> records(runs.incrementAndGet())));

      for (int i = 0; i < total; i++) {
        a.runNow("j");
      }

      assertThat(count(db, "SELECT COUNT(*) FROM collect_job_runs WHERE job = 'j'"))
          .isEqualTo(total);
      assertThat(a.history("j")).hasSize(JobScheduler.HISTORY_SIZE);
      assertThat(a.history("j")).allMatch(ClusteredJobSchedulerTest::noLoss);
    }
  }

  static final Duration EVERY_100 = Duration.ofMillis(100);
  static final String LEASES = "collect_job_leases";

  private static Pipeline records(int n) {
    List<Integer> values = java.util.stream.IntStream.range(0, n).boxed().toList();
    return Pipeline.from(Source.fromList("n", values)).to(new TestSink<Integer>()).build();
  }

  static boolean noLoss(JobRun run) {
    return run.received() == run.written() + run.deadLettered() + run.filtered();
  }

  /** A lease row saying job {@code name} last fired one {@code period} ago: it is due at once. */
  private static void insertDueLease(DataSource db, String name, Duration period)
      throws SQLException {
    long lastFire = System.currentTimeMillis() - period.toMillis();
    Databases.execute(
        db, "INSERT INTO " + LEASES + " VALUES ('" + name + "', " + lastFire + ", NULL, 0, 0, 0)");
  }

  private static String leaseRow(DataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT fire_ms, owner, lease_until_ms, running, attempt FROM " + LEASES)) {
      rs.next();
      return "fire="
          + rs.getLong(1)
          + " owner="
          + rs.getString(2)
          + " lease_until="
          + rs.getLong(3)
          + " running="
          + rs.getInt(4)
          + " attempt="
          + rs.getInt(5);
    }
  }

  private static long queryLong(DataSource db, String sql) throws SQLException {
    return Databases.queryLong(db, sql);
  }

  private static long count(DataSource db, String sql) {
    try {
      return Databases.queryLong(db, sql);
    } catch (SQLException e) {
      return -1;
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits for {@code condition}, failing after 30 s. */
  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
