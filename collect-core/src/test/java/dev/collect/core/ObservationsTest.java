package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.FailingSink;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ObservationsTest {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  /** Numbers 0..9 with a trace context each; 3 fails validation, 5 is filtered, 7 is rejected. */
  private static Source<Integer> tracedNumbers() {
    return numbers(Map.of(TraceHeaders.TRACEPARENT, TRACEPARENT));
  }

  /** Numbers 0..9, each with {@code headers}. */
  private static Source<Integer> numbers(Map<String, String> headers) {
    return new Source<>() {
      private boolean done;

      @Override
      public String name() {
        return "numbers";
      }

      @Override
      public List<Envelope<Integer>> poll(int maxRecords, Duration timeout) {
        List<Envelope<Integer>> out = new ArrayList<>();
        for (int i = 0; !done && i < 10; i++) {
          out.add(
              Envelope.builder(i)
                  .source("numbers")
                  .position(Position.sequence(i))
                  .headers(headers)
                  .build());
        }
        done = true;
        return out;
      }

      @Override
      public boolean isFinished() {
        return done;
      }
    };
  }

  private static RunReport run(TestObservationRegistry registry, TestDeadLetterSink dead) {
    return run(tracedNumbers(), dead, registry == null ? null : b -> b.observations(registry));
  }

  private static RunReport run(
      Source<Integer> source,
      TestDeadLetterSink dead,
      java.util.function.Consumer<PipelineBuilder> observe) {
    PipelineBuilder builder =
        Pipeline.from(source)
            .validate(Validator.<Integer>rule("value", "is 3", n -> n != 3))
            .filter(n -> n != 5)
            .to(FailingSink.rejecting(new TestSink<Integer>("out"), n -> n == 7))
            .deadLetters(dead)
            .name("traced");
    if (observe != null) {
      observe.accept(builder);
    }
    return builder.build().run();
  }

  @Test
  void everyRecordStepSinkWriteAndDeadLetterIsObservedUnderItsRecord() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    List<Observation.Context> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<>() {
              @Override
              public void onStop(Observation.Context context) {
                stopped.add(context);
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }
            });
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report = run(registry, dead);

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(7);
    assertThat(report.deadLettered()).isEqualTo(2);
    assertThat(report.filtered()).isEqualTo(1);
    TestObservationRegistryAssert.assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo("collect.record", 10)
        .hasNumberOfObservationsWithNameEqualTo("collect.sink", 8)
        .hasNumberOfObservationsWithNameEqualTo("collect.dead.letter", 2)
        .hasObservationWithNameEqualTo("collect.stage")
        .that()
        .hasLowCardinalityKeyValue("pipeline", "traced")
        .hasBeenStarted()
        .hasBeenStopped();
    assertThat(stopped)
        .filteredOn(c -> !c.getName().equals("collect.record"))
        .isNotEmpty()
        .allSatisfy(c -> assertThat(root(c).getName()).isEqualTo("collect.record"));
  }

  @Test
  void deadLettersCarryTheTraceIdOfTheSourceHeaders() {
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report = run(null, dead);

    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters())
        .extracting(DeadLetter::traceId)
        .containsExactly("4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void aRecordWhoseTraceContextIsNotSampledGetsNoObservationAndItsDeadLettersKeepTheContext() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    TestDeadLetterSink dead = new TestDeadLetterSink();
    String notSampled = TRACEPARENT.substring(0, 53) + "00";

    RunReport report =
        run(
            numbers(Map.of(TraceHeaders.TRACEPARENT, notSampled)),
            dead,
            b -> b.observations(registry));

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(7);
    TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
    assertThat(dead.letters())
        .extracting(l -> l.headers().get(TraceHeaders.TRACEPARENT))
        .containsExactly(notSampled, notSampled);
  }

  @Test
  void recordsWithoutATraceContextAreObservedAtTheUntracedRatio() {
    TestObservationRegistry none = TestObservationRegistry.create();
    TestObservationRegistry all = TestObservationRegistry.create();

    RunReport unobserved =
        run(numbers(Map.of()), new TestDeadLetterSink(), b -> b.observations(none, 0.0));
    RunReport observed =
        run(numbers(Map.of()), new TestDeadLetterSink(), b -> b.observations(all, 1.0));

    assertThat(unobserved.invariantHolds()).isTrue();
    assertThat(observed.invariantHolds()).isTrue();
    TestObservationRegistryAssert.assertThat(none).doesNotHaveAnyObservation();
    TestObservationRegistryAssert.assertThat(all)
        .hasNumberOfObservationsWithNameEqualTo("collect.record", 10)
        .hasNumberOfObservationsWithNameEqualTo("collect.dead.letter", 2);
  }

  @Test
  void anUntracedRatioOutsideZeroToOneIsRejected() {
    PipelineBuilder builder = Pipeline.from(numbers(Map.of())).to(new TestSink<Integer>("out"));
    TestObservationRegistry registry = TestObservationRegistry.create();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.observations(registry, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("untracedRatio must be in [0, 1], but was 1.5");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> builder.observations(registry, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void traceIdIsReadOnlyFromAWellFormedTraceparent() {
    assertThat(TraceHeaders.traceId(Map.of("traceparent", TRACEPARENT)))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(TraceHeaders.traceId(Map.of("traceparent", "00-xyz"))).isNull();
    assertThat(TraceHeaders.traceId(Map.of("traceparent", TRACEPARENT.replace('b', 'g')))).isNull();
    assertThat(TraceHeaders.traceId(Map.of())).isNull();
  }

  private static Observation.Context root(Observation.Context context) {
    Observation.ContextView current = context;
    while (current.getParentObservation() != null) {
      current = current.getParentObservation().getContextView();
    }
    return (Observation.Context) current;
  }
}
