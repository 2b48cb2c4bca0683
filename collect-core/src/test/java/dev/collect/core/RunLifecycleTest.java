package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When positions are first committed, what a failed run reports, and how steps are named. */
@Timeout(60)
class RunLifecycleTest {

  @Test
  void theFirstCommitComesWhenTheFirstBatchSettlesNotAfterAWholeInterval() throws Exception {
    OnceThenIdle source = new OnceThenIdle(10, null);
    TestSink<Integer> sink = new TestSink<>();
    Pipeline pipeline = Pipeline.from(source).to(sink).commitInterval(Duration.ofHours(1)).build();

    pipeline.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (source.commits.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    List<Position> whileRunning = List.copyOf(source.commits);
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(whileRunning).containsExactly(Position.sequence(9));
    assertThat(report.written()).isEqualTo(10);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void aPipelineFailingWithOutOfMemoryErrorReportsTheCountsItHadAndTheErrorsClass() {
    OnceThenIdle source = new OnceThenIdle(20, new OutOfMemoryError("Java heap space"));
    TestSink<Integer> sink = new TestSink<>();
    Pipeline pipeline = Pipeline.from(source).to(sink).build();

    assertThatThrownBy(pipeline::run)
        .isInstanceOfSatisfying(
            PipelineFailedException.class,
            e -> {
              assertThat(e.report().received()).isEqualTo(20);
              assertThat(e.report().sourceRecords()).isEqualTo(20);
              assertThat(e.report().failure())
                  .contains("java.lang.OutOfMemoryError")
                  .contains("Java heap space");
            });
  }

  @Test
  void unnamedStepsAreNamedAfterTheirKindAndPositionAndNamedStepsKeepTheirName() {
    TestDeadLetterSink dead = new TestDeadLetterSink();
    TestSink<Integer> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(TestSource.of(List.of(1, 2, 3, 4)))
            .collect(
                (Envelope<Integer> in, Collector.Output<Integer> out) -> {
                  if (in.value() == 1) {
                    throw new IllegalArgumentException("one");
                  }
                  out.emit(in.value());
                })
            .map(
                v -> {
                  if (v == 2) {
                    throw new IllegalArgumentException("two");
                  }
                  return v;
                })
            .map(
                "checked",
                v -> {
                  if (v == 3) {
                    throw new IllegalArgumentException("three");
                  }
                  return v;
                })
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(1);
    assertThat(dead.letters())
        .extracting(DeadLetter::component)
        .containsExactlyInAnyOrder("collect-1", "map-2", "checked");
  }

  /** Delivers {@code count} records in one poll, then throws {@code then} or idles forever. */
  static final class OnceThenIdle implements Source<Integer> {
    final List<Position> commits = new CopyOnWriteArrayList<>();
    private final int count;
    private final Error then;
    private boolean delivered;

    OnceThenIdle(int count, Error then) {
      this.count = count;
      this.then = then;
    }

    @Override
    public String name() {
      return "once";
    }

    @Override
    public List<Envelope<Integer>> poll(int maxRecords, Duration timeout) throws Exception {
      if (delivered) {
        if (then != null) {
          throw then;
        }
        Thread.sleep(timeout.toMillis());
        return List.of();
      }
      delivered = true;
      List<Envelope<Integer>> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        out.add(Envelope.builder(i).position(Position.sequence(i)).build());
      }
      return out;
    }

    @Override
    public void commit(Position position) {
      commits.add(position);
    }
  }
}
