package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.FailingSink;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.ReceiverContext;
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

  /** The given envelopes, at most {@code maxRecords} a poll. */
  private static Source<Integer> envelopes(List<Envelope<Integer>> records) {
    return new Source<>() {
      private int next;

      @Override
      public String name() {
        return "envelopes";
      }

      @Override
      public List<Envelope<Integer>> poll(int maxRecords, Duration timeout) {
        int to = Math.min(records.size(), next + maxRecords);
        List<Envelope<Integer>> out = new ArrayList<>(records.subList(next, to));
        next = to;
        return out;
      }

      @Override
      public boolean isFinished() {
        return next == records.size();
      }
    };
  }

  private static Envelope<Integer> record(int i, Map<String, String> headers) {
    return Envelope.builder(i)
        .source("envelopes")
        .position(Position.sequence(i))
        .headers(headers)
        .build();
  }

  /** Every observation's context, as it stops. */
  private static List<Observation.Context> stoppedIn(TestObservationRegistry registry) {
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
    return stopped;
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
    List<Observation.Context> stopped = stoppedIn(registry);
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
  void eachStepAfterTheRoutingPointHasOneStageObservationPerRecordAndStepsBeforeItNone() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    List<Observation.Context> stopped = stoppedIn(registry);
    TestSink<Integer> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(tracedNumbers())
            .map("parse", n -> n)
            .keyBy("route", n -> n % 3)
            .map("enrich", n -> n)
            .filter("keep", n -> n != 5)
            .to(sink)
            .workers(2)
            .name("staged")
            .observations(registry)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(9);
    List<Observation.Context> records =
        stopped.stream().filter(c -> c.getName().equals("collect.record")).toList();
    assertThat(records).hasSize(10);
    assertThat(stopped)
        .filteredOn(c -> c.getName().equals("collect.stage"))
        .extracting(c -> c.getLowCardinalityKeyValue("component").getValue())
        .hasSize(20)
        .doesNotContain("parse", "route");
    for (Observation.Context record : records) {
      assertThat(stopped)
          .filteredOn(c -> c.getName().equals("collect.stage"))
          .filteredOn(c -> c.getParentObservation().getContextView() == record)
          .extracting(c -> c.getLowCardinalityKeyValue("component").getValue())
          .containsExactlyInAnyOrder("enrich", "keep");
    }
  }

  @Test
  void aShareOfUntracedRecordsIsObservedAndUnsampledOnesNeverAre() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    List<Observation.Context> stopped = stoppedIn(registry);
    String notSampled = TRACEPARENT.substring(0, 53) + "00";
    List<Envelope<Integer>> input = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      Map<String, String> headers =
          switch (i % 6) {
            case 0 -> Map.of(TraceHeaders.TRACEPARENT, notSampled);
            case 1 -> Map.of(TraceHeaders.TRACEPARENT, TRACEPARENT);
            default -> Map.of();
          };
      input.add(record(i, headers));
    }

    RunReport report =
        Pipeline.from(envelopes(input))
            .to(new TestSink<Integer>())
            .observations(registry, 0.5)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(3_000);
    List<String> parents =
        stopped.stream()
            .filter(c -> c.getName().equals("collect.record"))
            .map(c -> (Map<?, ?>) ((ReceiverContext<?>) c).getCarrier())
            .map(h -> String.valueOf(h.get(TraceHeaders.TRACEPARENT)))
            .toList();
    assertThat(parents).doesNotContain(notSampled);
    assertThat(parents).filteredOn(TRACEPARENT::equals).hasSize(500);
    // 2,000 untraced records at 0.5: 1,000 expected, a standard deviation of 22.
    assertThat(parents).filteredOn("null"::equals).hasSizeBetween(800, 1_200);
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
