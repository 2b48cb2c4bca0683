package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.spi.Failure;
import dev.collect.core.testing.TestClock;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
  void theClockGivenIsHandedToEveryPartAndTheirTimesComeFromIt() {
    TestClock clock = TestClock.at(T);
    Map<String, Clock> clocks = new ConcurrentHashMap<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();
    TestSink<String> written = new TestSink<>();
    Source<String> source =
        new Source<>() {
          private PipelineContext context;
          private boolean done;

          @Override
          public String name() {
            return "stamped";
          }

          @Override
          public void open(PipelineContext context) {
            clocks.put("source", context.clock());
            this.context = context;
          }

          @Override
          public List<Envelope<String>> poll(int maxRecords, Duration timeout) {
            if (done) {
              return List.of();
            }
            done = true;
            return List.of(
                Envelope.builder("a").ingestTime(context.clock().instant()).build(),
                Envelope.builder("late").ingestTime(context.clock().instant()).build());
          }

          @Override
          public boolean isFinished() {
            return done;
          }
        };
    Collector<String, String> lateLetters =
        new Collector<>() {
          private PipelineContext context;

          @Override
          public void open(PipelineContext context) {
            clocks.put("collector", context.clock());
            this.context = context;
          }

          @Override
          public void collect(Envelope<String> in, Output<String> out) throws Exception {
            if (in.value().equals("late")) {
              clock.advance(Duration.ofMinutes(5));
              dead.write(
                  List.of(
                      context.deadLetter(
                          Failure.of(
                              in, "window", Stage.COLLECT, "late", new IllegalStateException()))));
              return;
            }
            out.emit(in);
          }
        };
    Sink<String> sink =
        new Sink<>() {
          @Override
          public String name() {
            return "clocked";
          }

          @Override
          public void open(PipelineContext context) {
            clocks.put("sink", context.clock());
          }

          @Override
          public void write(List<Envelope<String>> batch) {
            written.write(batch);
          }
        };
    DeadLetterSink deadLetters =
        new DeadLetterSink() {
          @Override
          public String name() {
            return "clocked-dead";
          }

          @Override
          public void open(PipelineContext context) {
            clocks.put("dead letters", context.clock());
          }

          @Override
          public void write(List<DeadLetter> batch) {}
        };

    RunReport report =
        Pipeline.from(source)
            .collect("window", lateLetters)
            .to(sink)
            .deadLetters(deadLetters)
            .clock(clock)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(clocks).containsOnlyKeys("source", "collector", "sink", "dead letters");
    assertThat(clocks.values()).allSatisfy(c -> assertThat(c).isSameAs(clock));
    assertThat(written.envelopes()).extracting(Envelope::ingestTime).containsExactly(T);
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
