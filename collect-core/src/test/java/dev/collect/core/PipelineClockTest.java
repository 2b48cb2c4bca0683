package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestClock;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ingest and failure times come from the pipeline's clock, so tests control them. */
@Timeout(60)
class PipelineClockTest {
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void ingestAndFailureTimesAreThePipelineClocks() {
    TestClock clock = TestClock.at(T);
    TestSink<String> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(List.of("a", "bad", "c")))
            .map(
                "check",
                v -> {
                  if (v.equals("bad")) {
                    clock.advance(Duration.ofMinutes(5));
                    throw new IllegalArgumentException("bad value");
                  }
                  return v;
                })
            .to(sink)
            .deadLetters(dead)
            .clock(clock)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.startedAt()).isEqualTo(T);
    assertThat(sink.envelopes()).extracting(Envelope::ingestTime).containsOnly(T);
    assertThat(dead.letters())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.ingestTime()).isEqualTo(T);
              assertThat(l.firstFailure()).isEqualTo(T.plus(Duration.ofMinutes(5)));
              assertThat(l.lastFailure()).isEqualTo(T.plus(Duration.ofMinutes(5)));
            });
  }

  @Test
  void aCollectorsOutputsAtTheEndOfInputAreIngestedOnThePipelineClock() {
    TestClock clock = TestClock.at(T);
    TestSink<String> sink = new TestSink<>();

    Pipeline.from(TestSource.of(List.of("a", "b")))
        .collect(
            "count",
            new Collector<String, String>() {
              int n;

              @Override
              public void collect(Envelope<String> in, Output<String> out) {
                n++;
              }

              @Override
              public void endOfInput(Output<String> out) {
                clock.advance(Duration.ofSeconds(1));
                out.emit("count=" + n);
              }
            })
        .to(sink)
        .clock(clock)
        .build()
        .run();

    assertThat(sink.envelopes())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.value()).isEqualTo("count=2");
              assertThat(e.ingestTime()).isEqualTo(T.plusSeconds(1));
            });
  }

  @Test
  void aTestClockMovesOnlyWhenToldAndInEveryZone() {
    TestClock clock = TestClock.at(T);
    java.time.Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    Instant later = clock.advance(Duration.ofHours(2));

    assertThat(later).isEqualTo(T.plus(Duration.ofHours(2)));
    assertThat(clock.instant()).isEqualTo(later);
    assertThat(paris.instant()).isEqualTo(later);
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    clock.set(T);
    assertThat(clock.millis()).isEqualTo(T.toEpochMilli());
  }
}
