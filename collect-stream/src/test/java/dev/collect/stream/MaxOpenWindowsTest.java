package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code maxOpenWindows}: beyond it the oldest window closes early, with one WARN. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MaxOpenWindowsTest {

  record Ev(String k, long s) {
    Instant time() {
      return Instant.ofEpochSecond(s);
    }
  }

  @Test
  void beyondTheBoundTheOldestWindowsCloseEarlyWithOneWarn() {
    // Each event opens its own 10 s window; an out-of-orderness of 1,000 s keeps the watermark
    // from closing any. The first to arrive, c, is not the oldest: a's and b's windows are older.
    List<Ev> events =
        List.of(new Ev("c", 21), new Ev("a", 1), new Ev("d", 31), new Ev("b", 11), new Ev("e", 41));
    TestSink<WindowResult<String, Long>> sink = new TestSink<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PrintStream err = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    RunReport report;

    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      report =
          Pipeline.from(TestSource.of(events).maxPerPoll(1))
              .collect(
                  "window",
                  Windowing.eventTime(
                          WatermarkStrategy.<Ev>boundedOutOfOrderness(Duration.ofSeconds(1000))
                              .withTimestamps(Ev::time))
                      .keyBy(Ev::k)
                      .window(WindowAssigner.tumbling(Duration.ofSeconds(10)))
                      .maxOpenWindows(2)
                      .aggregate(Aggregation.count()))
              .to(sink)
              .deadLetters(new TestDeadLetterSink())
              .metrics(registry)
              .name("bounded")
              .build()
              .run();
    } finally {
      System.setErr(err);
    }

    // d makes three open windows: a's [0,10) closes; b's [10,20) is then the oldest of three and
    // closes at once; e closes c's [20,30). d's and e's fire only at the end of the input.
    assertThat(sink.values())
        .extracting(r -> r.key() + "@" + r.windowStart().getEpochSecond() + "=" + r.records())
        .containsExactly("a@0=1", "b@10=1", "c@20=1", "d@30=1", "e@40=1");
    assertThat(
            registry
                .get(StreamMetricNames.WINDOWS_CLOSED_EARLY)
                .tag("pipeline", "bounded")
                .functionCounter()
                .count())
        .isEqualTo(3.0);
    String log = logs.toString(StandardCharsets.UTF_8);
    assertThat(log.lines().filter(l -> l.contains(" WARN ")).toList())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains("more than 2 open windows, closing the oldest early")
                    .contains(StreamMetricNames.WINDOWS_CLOSED_EARLY));
    assertThat(report.invariantHolds()).isTrue();
  }
}
