package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import dev.collect.core.testing.TestSink;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JobSchedulerTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  static Pipeline threeRecords() {
    return Pipeline.from(Source.of("a", "b", "c")).to(new TestSink<>()).build();
  }

  @Test
  void schedulesComputeFireTimesInTheirZone() {
    ZonedDateTime saturday = ZonedDateTime.of(2026, 3, 28, 3, 0, 0, 0, BERLIN);

    assertThat(Schedule.daily(LocalTime.of(2, 30), BERLIN).next(saturday))
        .contains(
            ZonedDateTime.of(2026, 3, 29, 3, 30, 0, 0, BERLIN)); // 02:30 does not exist that day
    assertThat(Schedule.daily(LocalTime.of(4, 0), BERLIN).next(saturday))
        .contains(ZonedDateTime.of(2026, 3, 28, 4, 0, 0, 0, BERLIN));
    assertThat(Schedule.weekly(DayOfWeek.MONDAY, LocalTime.of(6, 0), BERLIN).next(saturday))
        .contains(ZonedDateTime.of(2026, 3, 30, 6, 0, 0, 0, BERLIN));
    assertThat(Schedule.weekly(DayOfWeek.SATURDAY, LocalTime.of(2, 0), BERLIN).next(saturday))
        .contains(ZonedDateTime.of(2026, 4, 4, 2, 0, 0, 0, BERLIN));
    assertThat(Schedule.cron("30 2 * * 1-5", BERLIN).next(saturday).map(ZonedDateTime::toInstant))
        .contains(ZonedDateTime.of(2026, 3, 30, 2, 30, 0, 0, BERLIN).toInstant());
    assertThat(Schedule.fixedRate(Duration.ofMinutes(15)).next(saturday))
        .contains(saturday.plusMinutes(15));
  }

  @Test
  void badSchedulesFailAtOnce() {
    assertThatThrownBy(() -> Schedule.cron("61 * * * *", BERLIN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Schedule.fixedRate(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("period must be > 0");
    assertThatThrownBy(
            () ->
                Job.of(
                    " ", Schedule.fixedRate(Duration.ofSeconds(1)), JobSchedulerTest::threeRecords))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void runNowRecordsCompletedAndFailedRunsInTheStore() {
    CheckpointStore store = CheckpointStore.inMemory();
    Sink<String> broken =
        Sink.of(
            "broken",
            batch -> {
              throw new Error("disk on fire");
            });
    try (JobScheduler scheduler = JobScheduler.create(store)) {
      scheduler.add(
          Job.of("ok", Schedule.daily(LocalTime.NOON, BERLIN), JobSchedulerTest::threeRecords));
      scheduler.add(
          Job.of(
              "failing",
              Schedule.daily(LocalTime.NOON, BERLIN),
              () -> Pipeline.from(Source.of("x")).to(broken).build()));

      JobRun ok = scheduler.runNow("ok");
      JobRun failed = scheduler.runNow("failing");

      assertThat(ok.outcome()).isEqualTo(JobRun.Outcome.COMPLETED);
      assertThat(ok.written()).isEqualTo(3);
      assertThat(ok.received()).isEqualTo(ok.written() + ok.deadLettered() + ok.filtered());
      assertThat(ok.trigger()).isEqualTo("manual");
      assertThat(failed.outcome()).isEqualTo(JobRun.Outcome.FAILED);
      assertThat(failed.failure()).isNotBlank();
    }
    try (JobScheduler reopened = JobScheduler.create(store)) {
      assertThat(reopened.history("ok"))
          .extracting(JobRun::outcome)
          .containsExactly(JobRun.Outcome.COMPLETED);
      assertThat(reopened.history("failing"))
          .extracting(JobRun::outcome)
          .containsExactly(JobRun.Outcome.FAILED);
      assertThat(store.load("job:ok:history")).get().asString().contains("\"written\":3");
    }
  }

  @Test
  void twoRunsOfTheSameJobNeverOverlap() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch polling = new CountDownLatch(1);
    Source<String> blocking =
        new Source<>() {
          boolean done;

          @Override
          public String name() {
            return "blocking";
          }

          @Override
          public List<Envelope<String>> poll(int max, Duration timeout)
              throws InterruptedException {
            polling.countDown();
            release.await();
            done = true;
            return List.of();
          }

          @Override
          public boolean isFinished() {
            return done;
          }

          @Override
          public void close() {}
        };
    try (JobScheduler scheduler = JobScheduler.create(CheckpointStore.inMemory())) {
      scheduler.add(
          Job.of(
              "slow",
              Schedule.daily(LocalTime.NOON, BERLIN),
              () -> Pipeline.from(blocking).to(new TestSink<String>()).build()));
      CompletableFuture<JobRun> first =
          CompletableFuture.supplyAsync(() -> scheduler.runNow("slow"));
      assertThat(polling.await(10, TimeUnit.SECONDS)).isTrue();

      JobRun second = scheduler.runNow("slow");
      release.countDown();

      assertThat(second.outcome()).isEqualTo(JobRun.Outcome.SKIPPED_OVERLAP);
      assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(JobRun.Outcome.COMPLETED);
      assertThat(scheduler.history("slow")).hasSize(2);
    }
  }

  @Test
  void missedRunsFollowTheJobsPolicy() throws Exception {
    CheckpointStore store = CheckpointStore.inMemory();
    String threeDaysAgo = Instant.now().minus(3, ChronoUnit.DAYS).toString();
    store.save("job:catch-up:last-fire", threeDaysAgo);
    store.save("job:skip:last-fire", threeDaysAgo);
    try (JobScheduler scheduler = JobScheduler.create(store)) {
      scheduler.add(
          new Job(
              "catch-up",
              JobSchedulerTest::threeRecords,
              Schedule.daily(LocalTime.NOON, BERLIN),
              MissedRunPolicy.RUN_ONCE));
      scheduler.add(
          new Job(
              "skip",
              JobSchedulerTest::threeRecords,
              Schedule.daily(LocalTime.NOON, BERLIN),
              MissedRunPolicy.SKIP));

      scheduler.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (scheduler.history("catch-up").isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }

      assertThat(scheduler.history("catch-up"))
          .singleElement()
          .satisfies(
              run -> {
                assertThat(run.trigger()).isEqualTo("missed");
                assertThat(run.written()).isEqualTo(3);
              });
      assertThat(scheduler.history("skip")).isEmpty();
    }
  }

  @Test
  void aFixedRateJobRunsOnItsSchedule() throws Exception {
    try (JobScheduler scheduler = JobScheduler.create(CheckpointStore.inMemory())) {
      scheduler.add(
          Job.of(
              "often", Schedule.fixedRate(Duration.ofMillis(100)), JobSchedulerTest::threeRecords));

      scheduler.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (scheduler.history("often").size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }

      assertThat(scheduler.history("often"))
          .hasSizeGreaterThanOrEqualTo(2)
          .allMatch(run -> run.trigger().equals("schedule") && run.scheduledFor() != null);
    }
  }

  @Test
  void theHistoryKeepsTheNewestHundredRuns() {
    java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();
    try (JobScheduler scheduler = JobScheduler.create(CheckpointStore.inMemory())) {
      scheduler.add(
          Job.of(
              "many",
              Schedule.daily(LocalTime.NOON, BERLIN),
              () -> {
                // Run n writes n records, so the history says which runs it kept.
                int n = runs.incrementAndGet();
                List<Integer> values = java.util.stream.IntStream.range(0, n).boxed().toList();
                return Pipeline.from(Source.fromList("n", values)).to(new TestSink<>()).build();
              }));

      for (int i = 0; i < 105; i++) {
        scheduler.runNow("many");
      }

      assertThat(scheduler.history("many"))
          .extracting(JobRun::written)
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(6, 105).boxed().toList());
      assertThat(scheduler.history("many"))
          .allMatch(r -> r.received() == r.written() + r.deadLettered() + r.filtered());
    }
  }
}
