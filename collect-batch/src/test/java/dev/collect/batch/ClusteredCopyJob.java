package dev.collect.batch;

import dev.collect.core.BatchPolicy;
import dev.collect.core.CheckpointStore;
import dev.collect.core.Pipeline;
import dev.collect.core.testing.TestDeadLetterSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One scheduler instance of the clustered-scheduler test, run as its own JVM: job {@code copy}
 * every 2 s copies the new rows of {@code src_*} (by id, checkpointed in the shared store) slowly
 * into {@code out_*}, each row marked with the instance that wrote it; every run start is logged in
 * {@code starts_*}.
 */
final class ClusteredCopyJob {
  static final Duration EVERY = Duration.ofSeconds(2);
  static final Duration LEASE = Duration.ofSeconds(3);
  static final Duration POLL = Duration.ofMillis(500);
  static final String READY = "scheduler started";

  private ClusteredCopyJob() {}

  /** {@code url suffix instance}: runs the scheduler until killed. */
  public static void main(String[] args) throws Exception {
    PGSimpleDataSource db = new PGSimpleDataSource();
    db.setUrl(args[0]);
    String suffix = args[1];
    String instance = args[2];
    CheckpointStore store = JdbcCheckpointStore.create(db, "cp_" + suffix);
    JobScheduler scheduler =
        JobScheduler.clustered(ClusteredJobSchedulerIT.cluster(db, suffix).withInstance(instance));
    scheduler.add(
        Job.of(
            "copy",
            Schedule.fixedRate(EVERY),
            () -> {
              logStart(db, suffix, instance);
              return pipeline(db, suffix, instance, store);
            }));
    scheduler.start();
    System.out.println(READY);
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void logStart(DataSource db, String suffix, String instance) {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement("INSERT INTO starts_" + suffix + " (instance) VALUES (?)")) {
      s.setString(1, instance);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static Pipeline pipeline(DataSource db, String suffix, String instance, CheckpointStore store) {
    try {
      return Pipeline.from(
              Jdbc.source(
                  JdbcSourceConfig.builder(db, "src_" + suffix, "id")
                      .pageSize(20)
                      .checkpoints(store, "copy")
                      .build()))
          .map(
              "slow",
              row -> {
                Thread.sleep(40);
                Map<String, Object> out = new HashMap<>(row);
                out.put("copied_by", instance);
                return out;
              })
          .to(
              Jdbc.sink(
                  JdbcSinkConfig.builder(db, "out_" + suffix, List.of("id", "copied_by")).build()))
          .deadLetters(new TestDeadLetterSink())
          .batch(BatchPolicy.ofRecords(10).withLinger(Duration.ofMillis(5)))
          .commitInterval(Duration.ofMillis(100))
          .build();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
