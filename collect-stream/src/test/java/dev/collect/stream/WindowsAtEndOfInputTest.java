package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.BatchPolicy;
import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestClock;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A bounded run closes its windows: every window still open when the input ends fires once. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WindowsAtEndOfInputTest {

  record Ev(String k, long s) {
    Instant time() {
      return Instant.ofEpochSecond(s);
    }
  }

  record Row(String key, long start, long records, boolean update) {
    static Row of(WindowResult<String, Long> r) {
      return new Row(r.key(), r.windowStart().getEpochSecond(), r.records(), r.update());
    }
  }

  /** {@code perKey} events a second apart for each of {@code keys} keys, in time order. */
  private static List<Ev> events(int keys, int perKey) {
    List<Ev> out = new ArrayList<>();
    for (int s = 0; s < perKey; s++) {
      for (int k = 0; k < keys; k++) {
        out.add(new Ev("k" + k, s));
      }
    }
    return out;
  }

  /** What a correct run writes: one row per key and 10 s window with its record count. */
  private static List<Row> expectedTumbling10s(List<Ev> events) {
    Map<String, Long> counts = new TreeMap<>();
    for (Ev e : events) {
      counts.merge(e.k() + "|" + Math.floorDiv(e.s(), 10) * 10, 1L, Long::sum);
    }
    List<Row> rows = new ArrayList<>();
    counts.forEach(
        (k, n) -> {
          String[] parts = k.split("\\|");
          rows.add(new Row(parts[0], Long.parseLong(parts[1]), n, false));
        });
    return rows;
  }

  private static Collector<Ev, WindowResult<String, Long>> tumbling10s(Duration outOfOrderness) {
    return Windowing.eventTime(
            WatermarkStrategy.<Ev>boundedOutOfOrderness(outOfOrderness).withTimestamps(Ev::time))
        .keyBy(Ev::k)
        .window(WindowAssigner.tumbling(Duration.ofSeconds(10)))
        .aggregate(Aggregation.count());
  }

  private static RunReport run(
      List<Ev> events,
      Collector<Ev, WindowResult<String, Long>> windows,
      TestSink<WindowResult<String, Long>> sink,
      int workers) {
    TestDeadLetterSink dead = new TestDeadLetterSink();
    RunReport report =
        Pipeline.from(TestSource.of(events).keyedBy(Ev::k).maxPerPoll(64))
            .collect("window", windows)
            .to(sink)
            .deadLetters(dead)
            .workers(workers)
            .batch(BatchPolicy.ofRecords(32))
            .build()
            .run();
    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters()).isEmpty();
    return report;
  }

  @Test
  void theLastWindowsOfABoundedRunFireOnceWithOneWorker() {
    List<Ev> events = events(3, 95);
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();

    RunReport report = run(events, tumbling10s(Duration.ZERO), sink, 1);

    // 3 keys x 10 windows; the last window of each key, [90,100) with 5 records, is still open
    // when the input ends and fires only because it ended.
    assertThat(sink.values())
        .extracting(Row::of)
        .containsExactlyInAnyOrderElementsOf(expectedTumbling10s(events))
        .contains(
            new Row("k0", 90, 5, false), new Row("k1", 90, 5, false), new Row("k2", 90, 5, false));
    assertThat(report.written()).isEqualTo(30);
  }

  @Test
  void everyOpenWindowFiresOnceAtTheEndWithSeveralWorkers() {
    // An out-of-orderness longer than the input: no window fires before the end, whatever the
    // interleaving of the four workers, so every count below comes from the end of input.
    List<Ev> events = events(8, 500);
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();

    RunReport report = run(events, tumbling10s(Duration.ofDays(1)), sink, 4);

    List<Row> expected = expectedTumbling10s(events);
    assertThat(expected).hasSize(8 * 50);
    assertThat(sink.values()).extracting(Row::of).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(report.written()).isEqualTo(expected.size());
    assertThat(report.filtered()).isEqualTo(events.size());
    assertThat(sink.envelopes())
        .allSatisfy(
            e -> {
              assertThat(e.key()).isEqualTo(e.value().key());
              assertThat(e.eventTime()).isEqualTo(e.value().windowEnd().minusMillis(1));
            });
  }

  @Test
  void sessionsThatClosedDuringTheRunDoNotFireAgainAtTheEnd() {
    // Session windows with a 5 s gap over keyed bursts 100 s apart: each key's burst closes when
    // a later burst moves the watermark, except the last burst, which only the end closes. One
    // worker: with several, which record moves the shared watermark first is up to the scheduler.
    List<Ev> events = new ArrayList<>();
    for (int burst = 0; burst < 5; burst++) {
      for (int k = 0; k < 6; k++) {
        for (int i = 0; i < 4; i++) {
          events.add(new Ev("k" + k, burst * 100L + i));
        }
      }
    }
    Collector<Ev, WindowResult<String, Long>> sessions =
        Windowing.eventTime(
                WatermarkStrategy.<Ev>boundedOutOfOrderness(Duration.ofSeconds(50))
                    .withTimestamps(Ev::time))
            .keyBy(Ev::k)
            .window(WindowAssigner.session(Duration.ofSeconds(5)))
            .aggregate(Aggregation.count());
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();

    RunReport report = run(events, sessions, sink, 1);

    List<Row> expected = new ArrayList<>();
    for (int burst = 0; burst < 5; burst++) {
      for (int k = 0; k < 6; k++) {
        expected.add(new Row("k" + k, burst * 100L, 4, false));
      }
    }
    assertThat(sink.values()).extracting(Row::of).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(report.written()).isEqualTo(30);
  }

  @Test
  void aWindowThatFiredAndIsKeptForLatenessIsNotFiredAgainAtTheEnd() {
    Collector<Ev, WindowResult<String, Long>> windows =
        Windowing.eventTime(
                WatermarkStrategy.<Ev>boundedOutOfOrderness(Duration.ZERO).withTimestamps(Ev::time))
            .keyBy(Ev::k)
            .window(WindowAssigner.tumbling(Duration.ofSeconds(10)))
            .allowedLateness(Duration.ofHours(1))
            .aggregate(Aggregation.count());
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();

    // 12 fires [0,10), whose pane stays for the lateness; the end fires only [10,20).
    run(List.of(new Ev("a", 1), new Ev("a", 12)), windows, sink, 1);

    assertThat(sink.values())
        .extracting(Row::of)
        .containsExactly(new Row("a", 0, 1, false), new Row("a", 10, 1, false));
  }

  @Test
  void processingTimeWindowsAlsoFireAtTheEndOfABoundedRun() {
    TestClock clock = TestClock.at(Instant.ofEpochSecond(1000));
    Collector<Ev, WindowResult<String, Long>> windows =
        Windowing.<Ev>processingTime(clock)
            .keyBy(Ev::k)
            .window(WindowAssigner.tumbling(Duration.ofMinutes(1)))
            .aggregate(Aggregation.count());
    List<Ev> events = events(2, 50);
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();

    run(events, windows, sink, 2);

    assertThat(sink.values())
        .extracting(r -> r.key() + "=" + r.records())
        .containsExactlyInAnyOrder("k0=50", "k1=50");
  }

  @Test
  void theEndOfInputEmitsNothingForAWindowOperatorWithNoOpenWindow() throws Exception {
    Collector<Ev, WindowResult<String, Long>> windows = tumbling10s(Duration.ZERO);
    List<WindowResult<String, Long>> out = new ArrayList<>();
    Collector.Output<WindowResult<String, Long>> output =
        new Collector.Output<>() {
          @Override
          public void emit(WindowResult<String, Long> value) {
            out.add(value);
          }

          @Override
          public void emit(Envelope<WindowResult<String, Long>> record) {
            out.add(record.value());
          }
        };
    Ev only = new Ev("a", 1);
    windows.collect(Envelope.builder(only).eventTime(only.time()).build(), output);

    windows.endOfInput(output);
    windows.endOfInput(output);

    assertThat(out).extracting(Row::of).containsExactly(new Row("a", 0, 1, false));
  }
}
