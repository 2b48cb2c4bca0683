package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Collector;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import dev.collect.stream.support.GateSink;
import dev.collect.stream.support.KillableSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's "Windows, de-duplication, time series" guarantees: state is in memory, absorbed
 * records' positions are committed before their window fires, a stopped or failed pipeline fires
 * nothing, and a restarted pipeline's de-duplication starts from an empty memory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WindowAndDedupStateTest {

  record Ev(String id, long s) {
    Instant time() {
      return Instant.ofEpochSecond(s);
    }
  }

  /** Ten events in the window [0, 60 s), which no event of them closes. */
  private static final List<Ev> ONE_OPEN_WINDOW =
      List.of(
          new Ev("e0", 0),
          new Ev("e1", 1),
          new Ev("e2", 2),
          new Ev("e3", 3),
          new Ev("e4", 4),
          new Ev("e5", 5),
          new Ev("e6", 6),
          new Ev("e7", 7),
          new Ev("e8", 8),
          new Ev("e9", 9));

  private static Collector<Ev, WindowResult<String, Long>> perMinute() {
    return Windowing.eventTime(
            WatermarkStrategy.<Ev>boundedOutOfOrderness(Duration.ZERO).withTimestamps(Ev::time))
        .window(WindowAssigner.tumbling(Duration.ofMinutes(1)))
        .aggregate(Aggregation.count());
  }

  @Test
  void absorbedRecordsAreCommittedBeforeTheirWindowFiresAndAStopFiresNothing() throws Exception {
    TestSource<Ev> source = TestSource.of(ONE_OPEN_WINDOW).maxPerPoll(3).unbounded();
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(source)
            .collect("window", perMinute())
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .commitInterval(Duration.ofMillis(20))
            .build();

    pipeline.start();
    boolean lastCommitted = source.awaitCommitted(9, Duration.ofSeconds(20));
    List<WindowResult<String, Long>> firedBeforeStop = sink.values();
    RunReport report = pipeline.stop(Duration.ofSeconds(20));

    assertThat(lastCommitted).as("position of the last absorbed record committed").isTrue();
    assertThat(firedBeforeStop).as("the window was still open when it was committed").isEmpty();
    assertThat(sink.values()).as("a stopped pipeline fires no open window").isEmpty();
    assertThat(report.status()).isEqualTo(RunReport.Status.STOPPED);
    assertThat(report.filtered()).isEqualTo(10);
    assertThat(report.written()).isZero();
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void aFailedPipelineFiresNoOpenWindow() throws Exception {
    KillableSource<Ev> source =
        new KillableSource<>(TestSource.of(ONE_OPEN_WINDOW).maxPerPoll(3).unbounded());
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();
    Pipeline pipeline =
        Pipeline.from(source)
            .collect("window", perMinute())
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .commitInterval(Duration.ofMillis(20))
            .build();

    pipeline.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (pipeline.report().filtered() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    source.kill(); // every record is in the window; the next poll fails the pipeline
    RunReport report = pipeline.awaitTermination(Duration.ofSeconds(20));

    assertThat(source.deliveredCount()).isEqualTo(10);
    assertThat(report.status()).isEqualTo(RunReport.Status.FAILED);
    assertThat(sink.values()).as("a failed pipeline fires no open window").isEmpty();
    assertThat(report.written()).isZero();
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void duplicatesCounterCountsExactlyTheRecordsDropped() {
    List<Ev> events =
        List.of(
            new Ev("a", 0),
            new Ev("b", 1),
            new Ev("a", 2),
            new Ev("c", 3),
            new Ev("a", 4),
            new Ev("b", 5),
            new Ev("d", 6));
    TestSink<Ev> sink = new TestSink<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    RunReport report =
        Pipeline.from(TestSource.of(events).keyedBy(Ev::id))
            .collect("dedup", Deduplication.<Ev>byId(Ev::id).build())
            .to(sink)
            .name("dedup")
            .deadLetters(new TestDeadLetterSink())
            .metrics(registry)
            .workers(2)
            .build()
            .run();

    assertThat(sink.values()).extracting(Ev::s).containsExactlyInAnyOrder(0L, 1L, 3L, 6L);
    assertThat(
            registry.get(StreamMetricNames.DUPLICATES).tag("pipeline", "dedup").counter().count())
        .isEqualTo(3.0);
    assertThat(report.filtered()).isEqualTo(3);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void afterARestartTheDedupMemoryIsEmptySoReplaysPassAgain() throws Exception {
    // One collector instance for both runs, as an application that rebuilds its failed pipeline
    // from the same parts would: the restart must not remember ids of the failed run, whose
    // records were never written.
    List<Ev> events = List.of(new Ev("a", 0), new Ev("b", 1), new Ev("c", 2));
    Collector<Ev, Ev> dedup = Deduplication.<Ev>byId(Ev::id).build();
    TestSource<Ev> first = TestSource.of(events).unbounded();
    GateSink<Ev> crashing = new GateSink<>(0);
    Pipeline failed =
        Pipeline.from(first)
            .collect("dedup", dedup)
            .to(crashing)
            .deadLetters(new TestDeadLetterSink())
            .build();
    failed.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!crashing.isBlocked() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    crashing.crash();
    RunReport failedReport = failed.awaitTermination(Duration.ofSeconds(20));
    TestSink<Ev> sink = new TestSink<>();

    RunReport restarted =
        Pipeline.from(TestSource.of(events).resumeAfter(first.lastCommitted()))
            .collect("dedup", dedup)
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .build()
            .run();

    assertThat(failedReport.status()).isEqualTo(RunReport.Status.FAILED);
    assertThat(first.lastCommitted()).isEqualTo(-1);
    assertThat(crashing.written()).isEmpty();
    assertThat(sink.values()).extracting(Ev::id).containsExactly("a", "b", "c");
    assertThat(restarted.filtered()).isZero();
    assertThat(restarted.invariantHolds()).isTrue();
  }
}
