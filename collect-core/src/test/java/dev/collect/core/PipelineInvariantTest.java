package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.fixtures.Click;
import dev.collect.core.testing.FailingSink;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PipelineInvariantTest {

  private static final RetryPolicy FAST_RETRY =
      RetryPolicy.builder()
          .initialBackoff(Duration.ofMillis(1))
          .maxBackoff(Duration.ofMillis(5))
          .outageBudget(Duration.ofSeconds(5))
          .build();

  static List<byte[]> lines(int n, int malformedEvery, int invalidEvery) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String line = Click.json(i);
      if (malformedEvery > 0 && i % malformedEvery == 1) {
        line = line.substring(0, line.length() / 2);
      } else if (invalidEvery > 0 && i % invalidEvery == 2) {
        line = line.replace("\"view\"", "\"hover\"");
      }
      out.add(line.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void malformedAndInvalidRecordsAreDeadLetteredAndTheRestWritten() {
    TestSink<Click> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(lines(1000, 10, 10)))
            .collect(Collector.json(Click.class))
            .validate(Validator.bean(Click.class))
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.received()).isEqualTo(1000);
    assertThat(report.written()).isEqualTo(800);
    assertThat(report.deadLettered()).isEqualTo(200);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.deadLettersByReason())
        .containsEntry("collect/malformed", 100L)
        .containsEntry("validate/invalid", 100L);
    assertThat(sink.values()).hasSize(800).allMatch(c -> c.type().equals("view"));
    assertThat(dead.letters()).hasSize(200);
  }

  @Test
  void aStepRejectingARecordDeadLettersItWithItsOwnReasonWithoutRetrying() {
    TestSink<Click> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(lines(100, 0, 0)))
            .collect(Collector.json(Click.class))
            .map(
                "freshness",
                c -> {
                  if (c.position() % 10 == 0) {
                    throw new RejectedRecordException("late", "behind the watermark");
                  }
                  return c;
                })
            .to(sink)
            .deadLetters(dead)
            .retry(FAST_RETRY)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.deadLettered()).isEqualTo(10);
    assertThat(report.retried()).isZero();
    assertThat(report.deadLettersByReason()).containsEntry("transform/late", 10L);
    assertThat(dead.letters()).allSatisfy(l -> assertThat(l.reason()).isEqualTo("late"));
    assertThat(sink.values()).hasSize(90);
  }

  @Test
  void transientSinkFailureIsRetriedThenWritten() {
    FailingSink<Click> sink = FailingSink.failingFirst(new TestSink<>(), 3);
    TestSink<Click> inner = new TestSink<>();
    sink = FailingSink.failingFirst(inner, 3);

    RunReport report =
        Pipeline.from(TestSource.of(lines(500, 0, 0)).maxPerPoll(100))
            .collect(Collector.json(Click.class))
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .retry(FAST_RETRY)
            .batch(BatchPolicy.ofRecords(100))
            .build()
            .run();

    assertThat(report.written()).isEqualTo(500);
    assertThat(report.deadLettered()).isZero();
    assertThat(report.retried()).isEqualTo(3);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(inner.values()).extracting(Click::id).doesNotHaveDuplicates().hasSize(500);
  }

  @Test
  void rejectedRecordsAreIsolatedAndTheRestWrittenInOrder() {
    TestSink<Click> inner = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(lines(1000, 0, 0)))
            .collect(Collector.json(Click.class))
            .to(FailingSink.rejecting(inner, c -> c.id().equals("e17") || c.id().equals("e600")))
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.written()).isEqualTo(998);
    assertThat(report.deadLettered()).isEqualTo(2);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(inner.values()).extracting(Click::id).doesNotContain("e17", "e600").hasSize(998);
    List<Integer> order =
        inner.values().stream().map(c -> Integer.parseInt(c.id().substring(1))).toList();
    assertThat(order).isSorted();
    assertThat(dead.letters())
        .extracting(DeadLetter::stage, DeadLetter::reason)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(Stage.SINK, "rejected"));
    assertThat(dead.letters())
        .extracting(DeadLetter::payload)
        .allMatch(p -> p.contains("\"e17\"") || p.contains("\"e600\""));
  }

  @Test
  void outageLongerThanTheBudgetStopsWithoutCommittingTheUnsettled() {
    TestSource<byte[]> source = TestSource.of(lines(300, 0, 0)).maxPerPoll(100);
    TestSink<Click> inner = new TestSink<>();
    RetryPolicy shortBudget =
        RetryPolicy.builder()
            .initialBackoff(Duration.ofMillis(5))
            .maxBackoff(Duration.ofMillis(20))
            .outageBudget(Duration.ofMillis(300))
            .build();
    Pipeline pipeline =
        Pipeline.from(source)
            .collect(Collector.json(Click.class))
            .to(FailingSink.outage(inner, Duration.ofHours(1)))
            .deadLetters(new TestDeadLetterSink())
            .retry(shortBudget)
            .build();

    assertThatThrownBy(pipeline::run)
        .isInstanceOf(PipelineFailedException.class)
        .hasMessageContaining("outage budget")
        .satisfies(
            e -> {
              RunReport report = ((PipelineFailedException) e).report();
              assertThat(report.status()).isEqualTo(RunReport.Status.FAILED);
              assertThat(report.written()).isZero();
              assertThat(report.received())
                  .isEqualTo(
                      report.written()
                          + report.deadLettered()
                          + report.filtered()
                          + report.inFlight());
            });
    assertThat(inner.size()).isZero();
    assertThat(source.commits()).isEmpty();
  }

  @Test
  void withoutADeadLetterSinkTheFirstFailureStopsThePipeline() {
    // Record 1 is the first malformed one (then 11, 21, ...).
    List<byte[]> input = lines(100, 10, 0);
    TestSource<byte[]> source = TestSource.of(input).maxPerPoll(5);
    Pipeline pipeline =
        Pipeline.from(source).collect(Collector.json(Click.class)).to(new TestSink<>()).build();

    assertThatThrownBy(pipeline::run)
        .isInstanceOf(PipelineFailedException.class)
        .hasMessageContaining("no dead-letter sink");
    // Stopped at, not dropped: no commit reaches the failed record, so a rerun from what was
    // committed meets it again (here with a dead-letter sink, which takes it).
    assertThat(source.lastCommitted()).isLessThan(1);
    TestDeadLetterSink dead = new TestDeadLetterSink();
    RunReport rerun =
        Pipeline.from(TestSource.of(input).resumeAfter(source.lastCommitted()))
            .collect(Collector.json(Click.class))
            .to(new TestSink<>())
            .deadLetters(dead)
            .build()
            .run();
    assertThat(dead.letters().stream().map(l -> l.position().get("sequence")))
        .contains(1L)
        .hasSize(10);
    assertThat(rerun.invariantHolds()).isTrue();
  }

  @Test
  void filteredRecordsAreCountedOnPurpose() {
    TestSink<Click> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(TestSource.of(lines(100, 0, 0)))
            .collect(Collector.json(Click.class))
            .filter(c -> c.position() % 2 == 0)
            .to(sink)
            .build()
            .run();

    assertThat(report.filtered()).isEqualTo(50);
    assertThat(report.written()).isEqualTo(50);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void aCollectorThatEmitsSeveralRecordsCountsEachOne() {
    TestSink<String> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(TestSource.of(List.of("a b c", "", "d")))
            .collect(
                (Collector<String, String>)
                    (in, out) -> {
                      for (String word : in.value().split(" ")) {
                        if (!word.isEmpty()) {
                          out.emit(word);
                        }
                      }
                    })
            .to(sink)
            .build()
            .run();

    assertThat(sink.values()).containsExactly("a", "b", "c", "d");
    assertThat(report.sourceRecords()).isEqualTo(3);
    assertThat(report.received()).isEqualTo(5);
    assertThat(report.filtered()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
  }
}
