package dev.collect.batch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.collect.batch.JobRun.Outcome;
import dev.collect.core.CheckpointStore;
import dev.collect.core.CollectException;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineFailedException;
import dev.collect.core.RunReport;
import dev.collect.core.spi.DaemonThreads;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on their schedules and keeps their run history in a {@link CheckpointStore} (key {@code
 * job:<name>:history}, the newest {@value #HISTORY_SIZE} runs as JSON; the last fire time handled
 * under {@code job:<name>:last-fire}).
 *
 * <p>Guarantees: two runs of the same job never overlap in this scheduler (a fire time that comes
 * while a run is going is recorded as {@link JobRun.Outcome#SKIPPED_OVERLAP}); fire times missed
 * while the scheduler was down are handled by the job's {@link MissedRunPolicy} when it starts; a
 * failed run is recorded and does not stop the schedule. Thread-safe.
 *
 * <p>A scheduler made by {@link #clustered(SchedulerCluster)} shares its jobs with the schedulers
 * of other processes on the same database instead: each fire time runs on one instance, a run whose
 * instance died is taken over after its lease expires, and the history is one row per run in the
 * cluster's {@code <prefix>_runs} table (see {@link SchedulerCluster}). Missed fire times are
 * handled by the {@link MissedRunPolicy} whenever the job was not run in time (no instance up, or
 * the previous run overran), and {@link #runNow(String)} takes no lease.
 */
public final class JobScheduler implements AutoCloseable {
  /** How many runs the history keeps per job. */
  public static final int HISTORY_SIZE = 100;

  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final CheckpointStore store;
  private final Clock clock;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final ClusteredRuns cluster;

  private JobScheduler(CheckpointStore store, Clock clock, ClusteredRuns cluster) {
    this.store = store;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.cluster = cluster;
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(2, DaemonThreads.named("collect-job-scheduler"));
    // Closing drops future fire times instead of waiting for them.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    this.timer = executor;
  }

  /** A scheduler keeping history in {@code store}, on the system clock. */
  public static JobScheduler create(CheckpointStore store) {
    return new JobScheduler(Objects.requireNonNull(store, "store"), Clock.systemUTC(), null);
  }

  /** A scheduler on a given clock (tests). */
  public static JobScheduler create(CheckpointStore store, Clock clock) {
    return new JobScheduler(Objects.requireNonNull(store, "store"), clock, null);
  }

  /**
   * A scheduler sharing its jobs with every scheduler on {@code cluster}'s database (creating its
   * two tables if absent); give each process the same jobs.
   */
  public static JobScheduler clustered(SchedulerCluster cluster) throws SQLException {
    return new JobScheduler(null, Clock.systemUTC(), new ClusteredRuns(cluster, Clock.systemUTC()));
  }

  private String instance() {
    return cluster == null ? null : cluster.instance();
  }

  /** Adds a job; it is scheduled by {@link #start()} (or at once if already started). */
  public JobScheduler add(Job job) {
    if (jobs.putIfAbsent(job.name(), job) != null) {
      throw new IllegalArgumentException("a job named '" + job.name() + "' exists already");
    }
    running.put(job.name(), new ReentrantLock());
    return this;
  }

  /** Starts every job's schedule, first applying its missed-run policy. */
  public void start() {
    if (cluster != null) {
      cluster.start(
          List.copyOf(jobs.values()),
          running::get,
          (job, trigger, scheduledFor, started) ->
              execute(new Start(job, trigger, scheduledFor, started)));
      return;
    }
    for (Job job : jobs.values()) {
      ZonedDateTime now = ZonedDateTime.now(clock);
      Optional<ZonedDateTime> missed = missedFireTime(job, now);
      if (missed.isPresent() && job.missedRuns() == MissedRunPolicy.RUN_ONCE) {
        timer.execute(() -> runAndRecord(job, "missed", missed.get().toInstant()));
      }
      store.save(lastFireKey(job), now.toInstant().toString());
      scheduleAfter(job, now);
    }
  }

  /** The oldest fire time after the last one handled and not after {@code now}, if any. */
  Optional<ZonedDateTime> missedFireTime(Job job, ZonedDateTime now) {
    return store
        .load(lastFireKey(job))
        .flatMap(last -> job.schedule().next(Instant.parse(last).atZone(ZoneOffset.UTC)))
        .filter(next -> !next.isAfter(now));
  }

  private void scheduleAfter(Job job, ZonedDateTime after) {
    job.schedule()
        .next(after)
        .ifPresent(
            fire -> {
              long delay = Math.max(0, fire.toInstant().toEpochMilli() - clock.millis());
              if (timer.isShutdown()) {
                return;
              }
              try {
                timer.schedule(
                    () -> {
                      store.save(lastFireKey(job), fire.toInstant().toString());
                      // The next fire time is scheduled before this run, so an overrunning run
                      // makes the next fire time record an overlap instead of silently slipping.
                      scheduleAfter(job, fire);
                      runAndRecord(job, "schedule", fire.toInstant());
                    },
                    delay,
                    TimeUnit.MILLISECONDS);
              } catch (RejectedExecutionException closed) {
                // The scheduler was closed meanwhile: no more fire times.
              }
            });
  }

  /** Runs a job now on the caller's thread (tests, backfills) and returns what happened. */
  public JobRun runNow(String jobName) {
    Job job = jobs.get(jobName);
    if (job == null) {
      throw new IllegalArgumentException("no job named '" + jobName + "'");
    }
    return runAndRecord(job, "manual", null);
  }

  private JobRun runAndRecord(Job job, String trigger, Instant scheduledFor) {
    ReentrantLock lock = running.get(job.name());
    Start start = new Start(job, trigger, scheduledFor, clock.instant());
    JobRun run;
    if (!lock.tryLock()) {
      String failure = "the previous run was still going";
      run = ended(start, start.at(), Outcome.SKIPPED_OVERLAP, null, failure);
      LOG.warn("job {}: skipped a {} run, the previous run is still going", job.name(), trigger);
    } else {
      try {
        run = execute(start);
      } finally {
        lock.unlock();
      }
    }
    record(run);
    return run;
  }

  private JobRun execute(Start start) {
    Job job = start.job();
    LOG.info("job {}: {} run started", job.name(), start.trigger());
    try (Pipeline pipeline = job.pipeline().get()) {
      RunReport report = pipeline.run();
      return ended(start, clock.instant(), Outcome.COMPLETED, report, null);
    } catch (PipelineFailedException e) {
      String failure = String.valueOf(e.getMessage());
      return ended(start, clock.instant(), Outcome.FAILED, e.report(), failure);
    } catch (RuntimeException e) {
      LOG.warn("job {}: run failed", job.name(), e);
      String failure = e.getClass().getName() + ": " + e.getMessage();
      return ended(start, clock.instant(), Outcome.FAILED, null, failure);
    }
  }

  /** A run being started: the job, why it runs, the fire time (null: manual), and when. */
  private record Start(Job job, String trigger, @Nullable Instant scheduledFor, Instant at) {}

  /** The run {@code start} began, ended at {@code endedAt}, with its pipeline's counts if any. */
  private JobRun ended(
      Start start,
      Instant endedAt,
      Outcome outcome,
      @Nullable RunReport report,
      @Nullable String failure) {
    return new JobRun(
        start.job().name(),
        start.trigger(),
        start.scheduledFor(),
        start.at(),
        endedAt,
        outcome,
        report == null ? 0 : report.received(),
        report == null ? 0 : report.written(),
        report == null ? 0 : report.deadLettered(),
        report == null ? 0 : report.filtered(),
        failure,
        instance());
  }

  private synchronized void record(JobRun run) {
    if (cluster != null) {
      cluster.record(run);
      return;
    }
    List<JobRun> runs = new ArrayList<>(history(run.job()));
    runs.add(run);
    if (runs.size() > HISTORY_SIZE) {
      runs = runs.subList(runs.size() - HISTORY_SIZE, runs.size());
    }
    try {
      store.save(historyKey(run.job()), JSON.writeValueAsString(runs));
    } catch (IOException e) {
      throw new CollectException("job '" + run.job() + "': cannot record its run history", e);
    }
  }

  /** The job's recorded runs, oldest first, as kept in the store. */
  public List<JobRun> history(String jobName) {
    if (cluster != null) {
      return cluster.history(jobName, HISTORY_SIZE);
    }
    return store
        .load("job:" + jobName + ":history")
        .map(
            json -> {
              try {
                return JSON.readValue(json, new TypeReference<List<JobRun>>() {});
              } catch (IOException e) {
                throw new CollectException(
                    "the run history of job '" + jobName + "' is corrupt", e);
              }
            })
        .orElse(List.of());
  }

  private static String historyKey(String job) {
    return "job:" + job + ":history";
  }

  private static String lastFireKey(Job job) {
    return "job:" + job.name() + ":last-fire";
  }

  /** Stops scheduling; a run in progress finishes (waits up to 30 s). */
  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    }
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
