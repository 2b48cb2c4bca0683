package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two clustered schedulers in one JVM on H2: shared fire times and the missed-run policies. */
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
    DataSource db = h2();
    long lastFire = System.currentTimeMillis() - 10_000;
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
}
