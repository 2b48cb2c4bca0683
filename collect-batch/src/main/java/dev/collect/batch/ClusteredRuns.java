package dev.collect.batch;

import dev.collect.batch.internal.jdbc.JobLeaseTables;
import dev.collect.batch.internal.jdbc.JobLeaseTables.Lease;
import dev.collect.batch.internal.jdbc.JobLeaseTables.RunRow;
import dev.collect.core.spi.DaemonThreads;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clustered side of a {@link JobScheduler}: every poll it renews the leases of the runs going
 * here, takes over runs whose lease expired, and claims due fire times, all through the
 * compare-and-set updates of {@link JobLeaseTables}. Fire times follow each job's schedule from the
 * fire time stored in its lease row, so all instances agree on them.
 */
final class ClusteredRuns {
  /** Runs one job on the caller's thread and says how it ended. */
  interface Runner {
    JobRun run(Job job, String trigger, Instant scheduledFor, Instant started);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredRuns.class);
  private static final int MAX_MISSED = 100_000;

  private final SchedulerCluster cluster;
  private final JobLeaseTables tables;
  private final Clock clock;
  private final Map<String, Long> mine = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller;
  private final ExecutorService runs;
  private volatile boolean closing;

  ClusteredRuns(SchedulerCluster cluster, Clock clock) throws SQLException {
    this.cluster = cluster;
    this.clock = clock;
    this.tables = new JobLeaseTables(cluster.dataSource(), cluster.tablePrefix());
    this.poller =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("collect-job-cluster"));
    this.runs = Executors.newCachedThreadPool(DaemonThreads.named("collect-job-run"));
  }

  void start(Collection<Job> jobs, Function<String, ReentrantLock> locks, Runner runner) {
    for (Job job : jobs) {
      tables.ensure(job.name(), clock.millis());
    }
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            poll(jobs, locks, runner);
          } catch (RuntimeException e) {
            LOG.warn("job cluster poll failed; retrying in {}", cluster.poll(), e);
          }
        },
        0,
        cluster.poll().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void poll(Collection<Job> jobs, Function<String, ReentrantLock> locks, Runner runner) {
    long now = clock.millis();
    long until = now + cluster.lease().toMillis();
    String me = cluster.instance();
    for (Job job : jobs) {
      String name = job.name();
      Long fire = mine.get(name);
      if (fire != null) {
        if (!tables.renew(name, fire, me, until)) {
          LOG.warn("job {}: lost the lease of fire time {}", name, Instant.ofEpochMilli(fire));
        }
        continue;
      }
      if (closing) {
        continue;
      }
      Optional<Lease> found = tables.lease(name);
      if (found.isEmpty()) {
        tables.ensure(name, now);
        continue;
      }
      Lease lease = found.get();
      if (lease.running()) {
        if (lease.leaseUntilMs() < now && tables.takeOver(name, lease.fireMs(), now, me, until)) {
          LOG.warn(
              "job {}: took over fire time {} from {}, whose lease expired",
              name,
              Instant.ofEpochMilli(lease.fireMs()),
              lease.owner());
          submit(job, lease.fireMs(), "takeover", lease.attempt() + 1, locks, runner);
        }
        continue;
      }
      List<ZonedDateTime> due = due(job, lease.fireMs(), now);
      if (due.isEmpty()) {
        continue;
      }
      long last = due.get(due.size() - 1).toInstant().toEpochMilli();
      if (due.size() > 1 && job.missedRuns() == MissedRunPolicy.SKIP) {
        tables.skip(name, lease.fireMs(), last);
      } else if (tables.claim(name, lease.fireMs(), last, me, until)) {
        submit(job, last, due.size() > 1 ? "missed" : "schedule", 1, locks, runner);
      }
    }
  }

  /** The fire times after {@code fireMs} up to {@code now}: the first and the last matter. */
  private static List<ZonedDateTime> due(Job job, long fireMs, long now) {
    ZonedDateTime at = Instant.ofEpochMilli(fireMs).atZone(ZoneOffset.UTC);
    Optional<ZonedDateTime> next = job.schedule().next(at);
    if (next.isEmpty() || next.get().toInstant().toEpochMilli() > now) {
      return List.of();
    }
    ZonedDateTime first = next.get();
    ZonedDateTime last = first;
    for (int i = 0; i < MAX_MISSED; i++) {
      Optional<ZonedDateTime> after = job.schedule().next(last);
      if (after.isEmpty() || after.get().toInstant().toEpochMilli() > now) {
        break;
      }
      last = after.get();
    }
    return last.equals(first) ? List.of(first) : List.of(first, last);
  }

  private void submit(
      Job job,
      long fire,
      String trigger,
      int attempt,
      Function<String, ReentrantLock> locks,
      Runner runner) {
    mine.put(job.name(), fire);
    runs.execute(
        () -> {
          ReentrantLock lock = locks.apply(job.name());
          lock.lock();
          try {
            JobRun run = runner.run(job, trigger, Instant.ofEpochMilli(fire), clock.instant());
            if (!tables.complete(row(run, Long.toString(fire), fire, attempt))) {
              LOG.warn(
                  "job {}: fire time {} was taken over while it ran here; not recorded here",
                  job.name(),
                  Instant.ofEpochMilli(fire));
            }
          } catch (RuntimeException e) {
            LOG.warn("job {}: recording the run of {} failed", job.name(), fire, e);
          } finally {
            mine.remove(job.name());
            lock.unlock();
          }
        });
  }

  /** Records a run that took no lease (a manual run). */
  void record(JobRun run) {
    tables.record(row(run, "manual-" + UUID.randomUUID(), null, 1));
  }

  private RunRow row(JobRun run, String key, Long fire, int attempt) {
    return new RunRow(
        run.job(),
        key,
        run.trigger(),
        fire,
        run.startedAt().toEpochMilli(),
        run.endedAt().toEpochMilli(),
        run.outcome().name(),
        run.received(),
        run.written(),
        run.deadLettered(),
        run.filtered(),
        run.failure(),
        cluster.instance(),
        attempt);
  }

  List<JobRun> history(String job, int limit) {
    return tables.history(job, limit).stream()
        .map(
            r ->
                new JobRun(
                    r.job(),
                    r.trigger(),
                    r.scheduledForMs() == null ? null : Instant.ofEpochMilli(r.scheduledForMs()),
                    Instant.ofEpochMilli(r.startedMs()),
                    Instant.ofEpochMilli(r.endedMs()),
                    JobRun.Outcome.valueOf(r.outcome()),
                    r.received(),
                    r.written(),
                    r.deadLettered(),
                    r.filtered(),
                    r.failure(),
                    r.instance()))
        .toList();
  }

  String instance() {
    return cluster.instance();
  }

  /** Stops claiming; renews the leases of runs going here until they end (up to 30 s). */
  void close() {
    closing = true;
    runs.shutdown();
    try {
      runs.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      poller.shutdownNow();
    }
  }
}
