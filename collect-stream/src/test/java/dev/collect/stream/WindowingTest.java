package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestClock;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WindowingTest {

  /** An event of key {@code k} at second {@code s} of the epoch, from channel {@code ch}. */
  record Ev(String k, long s, double v, String ch) {
    Ev(String k, long s) {
      this(k, s, 1, "c");
    }

    Instant time() {
      return Instant.ofEpochSecond(s);
    }
  }

  record Row(String key, long start, long end, long records, boolean update) {
    static Row of(WindowResult<String, ?> r) {
      return new Row(
          r.key(),
          r.windowStart().getEpochSecond(),
          r.windowEnd().getEpochSecond(),
          r.records(),
          r.update());
    }
  }

  private static WatermarkStrategy<Ev> outOfOrder(long seconds) {
    return WatermarkStrategy.<Ev>boundedOutOfOrderness(Duration.ofSeconds(seconds))
        .withTimestamps(Ev::time);
  }

  private static RunReport run(
      List<Ev> events,
      Collector<Ev, WindowResult<String, Long>> windows,
      TestSink<WindowResult<String, Long>> sink,
      TestDeadLetterSink dead) {
    RunReport report =
        Pipeline.from(TestSource.of(events).maxPerPoll(3))
            .collect("window", windows)
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();
    assertThat(report.invariantHolds()).isTrue();
    return report;
  }

  @Test
  void outOfOrderEventsLandInTheirWindowsAndLateOnesGoToTheDeadLetters() {
    Collector<Ev, WindowResult<String, Long>> windows =
        Windowing.eventTime(outOfOrder(2))
            .keyBy(Ev::k)
            .window(WindowAssigner.tumbling(Duration.ofSeconds(10)))
            .allowedLateness(Duration.ofSeconds(5))
            .aggregate(Aggregation.count());
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();
    List<Ev> events =
        List.of(
            new Ev("a", 1),
            new Ev("a", 4),
            new Ev("a", 12), // watermark 10: [0,10) fires with 2
            new Ev("a", 8), // within lateness: [0,10) corrected to 3
            new Ev("a", 25), // watermark 23: [10,20) fires, [0,10) is purged
            new Ev("a", 3), // too late for [0,10): dead letter
            new Ev("a", 19), // [10,20) still within lateness: corrected to 2
            new Ev("a", 100)); // watermark 98: [20,30) fires; the end of input fires [100,110)

    RunReport report = run(events, windows, sink, dead);

    assertThat(sink.values())
        .extracting(Row::of)
        .containsExactly(
            new Row("a", 0, 10, 2, false),
            new Row("a", 0, 10, 3, true),
            new Row("a", 10, 20, 1, false),
            new Row("a", 10, 20, 2, true),
            new Row("a", 20, 30, 1, false),
            new Row("a", 100, 110, 1, false));
    assertThat(dead.letters()).hasSize(1);
    assertThat(dead.letters().get(0).errorClass()).isEqualTo(LateRecordException.class.getName());
    assertThat(dead.letters().get(0).reason()).isEqualTo("late");
    assertThat(dead.letters().get(0).errorMessage())
        .contains("late: event time 1970-01-01T00:00:03Z");
    assertThat(report.deadLettered()).isEqualTo(1);
  }

  @Test
  void lateRecordsCanGoToADeadLetterSinkWithReasonLate() {
    TestDeadLetterSink dead = new TestDeadLetterSink();
    Collector<Ev, WindowResult<String, Long>> windows =
        Windowing.eventTime(outOfOrder(0))
            .window(WindowAssigner.tumbling(Duration.ofSeconds(10)))
            .lateRecords(LateRecords.toDeadLetters(dead))
            .aggregate(Aggregation.count());
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();

    RunReport report =
        run(List.of(new Ev("a", 1), new Ev("a", 15), new Ev("a", 2)), windows, sink, dead);

    assertThat(sink.values())
        .extracting(Row::of)
        .containsExactly(new Row("", 0, 10, 1, false), new Row("", 10, 20, 1, false));
    assertThat(dead.letters())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.reason()).isEqualTo("late");
              assertThat(l.position()).containsEntry("sequence", 2L);
            });
    // The first record is absorbed, the second fires the window, the third is routed as late.
    assertThat(report.filtered()).isEqualTo(2);
  }

  @Test
  void lateRecordsCanGoToASideOutputSink() {
    TestSink<Ev> side = new TestSink<>();
    Collector<Ev, WindowResult<String, Long>> windows =
        Windowing.eventTime(outOfOrder(0))
            .window(WindowAssigner.tumbling(Duration.ofSeconds(10)))
            .lateRecords(LateRecords.to(side))
            .aggregate(Aggregation.count());

    run(
        List.of(new Ev("a", 1), new Ev("a", 15), new Ev("a", 2)),
        windows,
        new TestSink<>(),
        new TestDeadLetterSink());

    assertThat(side.values()).containsExactly(new Ev("a", 2));
  }

  @Test
  void slidingWindowsCountARecordInEachWindowItFallsIn() {
    Collector<Ev, WindowResult<String, Long>> windows =
        Windowing.eventTime(outOfOrder(0))
            .window(WindowAssigner.sliding(Duration.ofSeconds(10), Duration.ofSeconds(5)))
            .aggregate(Aggregation.count());
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();

    run(
        List.of(new Ev("a", 1), new Ev("a", 6), new Ev("a", 11), new Ev("a", 30)),
        windows,
        sink,
        new TestDeadLetterSink());

    assertThat(sink.values())
        .extracting(Row::of)
        .containsExactlyInAnyOrder(
            new Row("", -5, 5, 1, false),
            new Row("", 0, 10, 2, false),
            new Row("", 5, 15, 2, false),
            new Row("", 10, 20, 1, false),
            // Still open when the input ends: fired by the end of input.
            new Row("", 25, 35, 1, false),
            new Row("", 30, 40, 1, false));
  }

  @Test
  void sessionWindowsMergePerKeyAndCloseAfterTheGap() {
    Collector<Ev, WindowResult<String, Long>> windows =
        Windowing.eventTime(outOfOrder(0))
            .keyBy(Ev::k)
            .window(WindowAssigner.session(Duration.ofSeconds(5)))
            .aggregate(Aggregation.count());
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();

    run(
        List.of(new Ev("a", 1), new Ev("a", 3), new Ev("b", 2), new Ev("a", 10), new Ev("x", 100)),
        windows,
        sink,
        new TestDeadLetterSink());

    assertThat(sink.values())
        .extracting(Row::of)
        .containsExactlyInAnyOrder(
            new Row("a", 1, 8, 2, false),
            new Row("b", 2, 7, 1, false),
            new Row("a", 10, 15, 1, false),
            new Row("x", 100, 105, 1, false));
  }

  @Test
  void anIdleChannelStopsHoldingTheWatermarkBack() {
    TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    WatermarkStrategy<Ev> strategy =
        outOfOrder(0)
            .withChannels(e -> e.value().ch())
            .withIdleness(Duration.ofSeconds(1))
            .withClock(clock);
    Collector<Ev, WindowResult<String, Long>> windows =
        Windowing.eventTime(strategy)
            .window(WindowAssigner.tumbling(Duration.ofSeconds(10)))
            .aggregate(Aggregation.count());
    CapturingOutput<WindowResult<String, Long>> out = new CapturingOutput<>();

    feed(windows, out, new Ev("k", 1, 1, "slow"));
    feed(windows, out, new Ev("k", 30, 1, "fast"));
    int heldBack = out.values.size();
    clock.advance(Duration.ofSeconds(2));
    feed(windows, out, new Ev("k", 31, 1, "fast"));

    assertThat(heldBack).isZero();
    assertThat(out.values).extracting(Row::of).containsExactly(new Row("", 0, 10, 1, false));
  }

  @Test
  void processingTimeWindowsFollowThePipelineClock() {
    TestClock clock = TestClock.at(Instant.ofEpochSecond(1000));
    Collector<Ev, WindowResult<String, Aggregation.Stats>> windows =
        Windowing.<Ev>processingTime(clock)
            .window(WindowAssigner.tumbling(Duration.ofSeconds(10)))
            .aggregate(Aggregation.stats(Ev::v));
    CapturingOutput<WindowResult<String, Aggregation.Stats>> out = new CapturingOutput<>();

    feed(windows, out, new Ev("k", 0, 2, "c")); // event time is ignored
    clock.advance(Duration.ofSeconds(3));
    feed(windows, out, new Ev("k", 999_999, 4, "c"));
    clock.advance(Duration.ofSeconds(10));
    feed(windows, out, new Ev("k", 0, 100, "c"));

    assertThat(out.values)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.domain()).isEqualTo(TimeDomain.PROCESSING_TIME);
              assertThat(r.windowStart()).isEqualTo(Instant.ofEpochSecond(1000));
              assertThat(r.value().count()).isEqualTo(2);
              assertThat(r.value().mean()).isEqualTo(3.0);
              assertThat(r.value().max()).isEqualTo(4.0);
            });
  }

  @Test
  void aRecordWithoutEventTimeIsMalformedAndTheBoundIsEnforced() {
    Collector<Ev, WindowResult<String, Long>> windows =
        Windowing.eventTime(WatermarkStrategy.<Ev>ascending())
            .window(WindowAssigner.tumbling(Duration.ofSeconds(10)))
            .aggregate(Aggregation.count());
    Collector<Ev, WindowResult<String, Long>> bounded =
        Windowing.eventTime(outOfOrder(1000))
            .keyBy(Ev::k)
            .window(WindowAssigner.tumbling(Duration.ofSeconds(10)))
            .maxOpenWindows(2)
            .aggregate(Aggregation.count());
    CapturingOutput<WindowResult<String, Long>> out = new CapturingOutput<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try {
      bounded.open(new PipelineContext("bounded", registry, null));
    } catch (Exception e) {
      throw new AssertionError(e);
    }

    feed(bounded, out, new Ev("a", 1));
    feed(bounded, out, new Ev("b", 1));
    feed(bounded, out, new Ev("c", 1));
    feed(bounded, out, new Ev("d", 1));

    assertThatThrownBy(() -> windows.collect(Envelope.of(new Ev("a", 1)), new CapturingOutput<>()))
        .hasMessageContaining("no event time");
    assertThat(out.values).hasSize(2);
    assertThat(
            registry
                .get(StreamMetricNames.WINDOWS_CLOSED_EARLY)
                .tag("pipeline", "bounded")
                .functionCounter()
                .count())
        .isEqualTo(2.0);
    assertThatThrownBy(() -> WindowAssigner.sliding(Duration.ofSeconds(10), Duration.ofSeconds(3)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Windowing.eventTime(outOfOrder(0)).aggregate(Aggregation.count()))
        .isInstanceOf(IllegalStateException.class);
  }

  private static <T> void feed(Collector<Ev, T> collector, CapturingOutput<T> out, Ev event) {
    try {
      collector.collect(Envelope.builder(event).eventTime(event.time()).build(), out);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static final class CapturingOutput<T> implements Collector.Output<T> {
    final java.util.List<T> values = new java.util.ArrayList<>();

    @Override
    public void emit(T value) {
      values.add(value);
    }

    @Override
    public void emit(Envelope<T> record) {
      values.add(record.value());
    }
  }
}
