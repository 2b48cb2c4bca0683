package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Steps given as lambdas are named by kind and position, never after the lambda's hidden class. */
@Timeout(60)
class StepNameTest {

  private static void failOn(String value, String bad) {
    if (value.equals(bad)) {
      throw new IllegalArgumentException("no " + bad);
    }
  }

  @Test
  void lambdaStepsAreNamedByKindAndPosition() {
    TestDeadLetterSink dead = new TestDeadLetterSink();
    TestSink<String> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(Source.of("a", "b", "c", "d", "ok"))
            .collect(
                (Envelope<String> in, Collector.Output<String> out) -> {
                  failOn(in.value(), "a");
                  out.emit(in.value());
                })
            .collectPerWorker(
                () ->
                    (Envelope<String> in, Collector.Output<String> out) -> {
                      failOn(in.value(), "b");
                      out.emit(in.value());
                    })
            .map(
                v -> {
                  failOn(v, "c");
                  return v;
                })
            .mapPerWorker(
                () ->
                    v -> {
                      failOn(v, "d");
                      return v;
                    })
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.values()).containsExactly("ok");
    assertThat(dead.letters())
        .extracting(DeadLetter::component)
        .containsExactlyInAnyOrder("collect-1", "collect-2", "map-3", "map-4")
        .allSatisfy(name -> assertThat(name).doesNotContain("Lambda").doesNotContain("$"));
  }

  @Test
  void everyKindOfStepIsNamedByItsKindAndPosition() {
    TestDeadLetterSink dead = new TestDeadLetterSink();
    TestSink<String> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(Source.of("a", "b", "c", "d", "e", "ok"))
            .collect(
                (Envelope<String> in, Collector.Output<String> out) -> {
                  failOn(in.value(), "a");
                  out.emit(in.value());
                })
            .validate(Validator.rule("value", "must not be b", (String v) -> !v.equals("b")))
            .map(
                v -> {
                  failOn(v, "c");
                  return v;
                })
            .filter(
                v -> {
                  failOn(v, "d");
                  return true;
                })
            .keyBy(
                v -> {
                  failOn(v, "e");
                  return v;
                })
            .to(sink)
            .deadLetters(dead)
            .workers(2)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.values()).containsExactly("ok");
    assertThat(dead.letters())
        .extracting(DeadLetter::component)
        .containsExactlyInAnyOrder("collect-1", "validate-2", "map-3", "filter-4", "keyBy-5");
  }
}
