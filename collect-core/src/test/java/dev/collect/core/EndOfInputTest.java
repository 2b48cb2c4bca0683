package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Collector#endOfInput}: what a collector holds back reaches the sinks when input ends. */
@Timeout(60)
class EndOfInputTest {

  /** Holds every record back and emits them all at the end of input. */
  static final class Buffering implements Collector<Integer, Integer> {
    final ConcurrentLinkedQueue<Integer> held = new ConcurrentLinkedQueue<>();
    final AtomicInteger ends = new AtomicInteger();
    volatile int heldWhenEnded = -1;

    @Override
    public void collect(Envelope<Integer> input, Output<Integer> output) {
      held.add(input.value());
    }

    @Override
    public void endOfInput(Output<Integer> output) {
      ends.incrementAndGet();
      heldWhenEnded = held.size();
      Integer v;
      while ((v = held.poll()) != null) {
        output.emit(v);
      }
    }
  }

  static List<Integer> numbers(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void endOfInputRunsOnceAfterEveryRecordAndItsOutputsRunThroughTheLaterSteps() {
    Buffering buffer = new Buffering();
    TestSink<Integer> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(TestSource.of(numbers(5000)).keyedBy(i -> i % 37).maxPerPoll(100))
            .collect("buffer", buffer)
            .map(i -> i * 10)
            .validate(Validator.rule("value", "must not end in 70", i -> i % 100 != 70))
            .filter(i -> i % 100 != 50)
            .to(sink)
            .deadLetters(dead)
            .workers(4)
            .batch(BatchPolicy.ofRecords(64))
            .build()
            .run();

    assertThat(buffer.ends).hasValue(1);
    assertThat(buffer.heldWhenEnded).isEqualTo(5000);
    assertThat(report.invariantHolds()).isTrue();
    // Each source record is absorbed (filtered) and comes back once as an end-of-input output.
    assertThat(report.received()).isEqualTo(10_000);
    // Of the outputs i * 10, those with i % 10 == 7 are invalid and those with i % 10 == 5 dropped.
    assertThat(report.written()).isEqualTo(4000);
    assertThat(report.deadLettered()).isEqualTo(500);
    assertThat(report.filtered()).isEqualTo(5000 + 500);
    List<Integer> written = new ArrayList<>(sink.values());
    Collections.sort(written);
    assertThat(written)
        .hasSize(4000)
        .doesNotHaveDuplicates()
        .allMatch(v -> v % 100 != 50 && v % 100 != 70);
    assertThat(dead.letters())
        .hasSize(500)
        .allSatisfy(
            l -> {
              assertThat(l.stage()).isEqualTo(Stage.VALIDATE);
              assertThat(l.position()).isEmpty();
            });
  }

  @Test
  void aLaterCollectorsEndOfInputSeesTheEarlierOnesOutputs() {
    Buffering first = new Buffering();
    Buffering second = new Buffering();
    TestSink<Integer> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(TestSource.of(numbers(300)).keyedBy(i -> i % 5))
            .collect("first", first)
            .collect("second", second)
            .to(sink)
            .workers(3)
            .build()
            .run();

    assertThat(second.heldWhenEnded).isEqualTo(300);
    assertThat(sink.values()).containsExactlyInAnyOrderElementsOf(numbers(300));
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void collectorsOnBothSidesOfAKeyByReachTheirEndOfInputAndAreWritten() {
    Buffering beforeRouting = new Buffering();
    Buffering afterRouting = new Buffering();
    TestSink<Integer> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(TestSource.of(numbers(1000)).maxPerPoll(64))
            .collect("before", beforeRouting)
            .keyBy(i -> Integer.toString(i % 7))
            .collect("after", afterRouting)
            .to(sink)
            .workers(3)
            .build()
            .run();

    assertThat(beforeRouting.ends).hasValue(1);
    assertThat(beforeRouting.heldWhenEnded).isEqualTo(1000);
    assertThat(afterRouting.ends).hasValue(1);
    assertThat(afterRouting.heldWhenEnded).isEqualTo(1000);
    assertThat(sink.values()).containsExactlyInAnyOrderElementsOf(numbers(1000));
    assertThat(report.written()).isEqualTo(1000);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void theOutputsOfTheEndOfInputAreWrittenAndFlushedBeforeTheLastCommit() {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    TestSource<Integer> inner = TestSource.of(numbers(200)).maxPerPoll(50);
    Source<Integer> source =
        new Source<>() {
          @Override
          public String name() {
            return "logged";
          }

          @Override
          public List<Envelope<Integer>> poll(int max, Duration timeout) {
            return inner.poll(max, timeout);
          }

          @Override
          public boolean isFinished() {
            return inner.isFinished();
          }

          @Override
          public void commit(Position position) {
            log.add("commit " + ((Position.SequencePosition) position).sequence());
          }
        };
    Sink<Integer> sink =
        new Sink<>() {
          @Override
          public String name() {
            return "logged";
          }

          @Override
          public void write(List<Envelope<Integer>> batch) {
            batch.forEach(e -> log.add("write " + e.value()));
          }

          @Override
          public void flush() {
            log.add("flush");
          }
        };

    RunReport report =
        Pipeline.from(source)
            .collect("buffer", new Buffering())
            .to(sink)
            .workers(2)
            .commitInterval(Duration.ofHours(1)) // only the final commit
            .build()
            .run();

    assertThat(report.written()).isEqualTo(200);
    List<String> entries = List.copyOf(log);
    int lastWrite = entries.lastIndexOf("write 199");
    int lastCommit = entries.lastIndexOf("commit 199");
    assertThat(lastWrite).isNotNegative();
    assertThat(lastCommit).isGreaterThan(lastWrite);
    assertThat(entries.subList(lastWrite, lastCommit)).contains("flush");
  }

  @Test
  void aStoppedPipelineDoesNotRunTheEndOfInput() throws Exception {
    Buffering buffer = new Buffering();
    AtomicInteger next = new AtomicInteger();
    Source<Integer> endless =
        new Source<>() {
          @Override
          public String name() {
            return "endless";
          }

          @Override
          public List<Envelope<Integer>> poll(int max, Duration timeout) {
            List<Envelope<Integer>> out = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
              int v = next.getAndIncrement();
              out.add(Envelope.builder(v).position(Position.sequence(v)).build());
            }
            return out;
          }

          @Override
          public void commit(Position position) {}
        };
    TestSink<Integer> sink = new TestSink<>();
    Pipeline pipeline = Pipeline.from(endless).collect("buffer", buffer).to(sink).build();

    pipeline.start();
    while (buffer.held.size() < 100) {
      Thread.sleep(5);
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(report.status()).isEqualTo(RunReport.Status.STOPPED);
    assertThat(buffer.ends).hasValue(0);
    assertThat(sink.size()).isZero();
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void aFailedPipelineDoesNotRunTheEndOfInput() {
    Buffering buffer = new Buffering();

    // No dead-letter sink: the record the filter fails on stops the pipeline.
    assertThatThrownBy(
            () ->
                Pipeline.from(TestSource.of(numbers(10)))
                    .filter(
                        i -> {
                          if (i == 5) {
                            throw new IllegalArgumentException("refused");
                          }
                          return true;
                        })
                    .collect("buffer", buffer)
                    .to(new TestSink<>())
                    .build()
                    .run())
        .isInstanceOf(PipelineFailedException.class);
    assertThat(buffer.ends).hasValue(0);
  }

  @Test
  void positionsSettledAfterTheSourceEndedWaitForTheEndOfInput() {
    // Slow records: the source reports its end long before the last ones settle.
    Collector<Integer, Integer> slowThenFailing =
        new Collector<>() {
          @Override
          public void collect(Envelope<Integer> input, Output<Integer> output) throws Exception {
            Thread.sleep(100);
          }

          @Override
          public void endOfInput(Output<Integer> output) {
            throw new IllegalStateException("state lost");
          }
        };
    TestSource<Integer> source = TestSource.of(numbers(10)).maxPerPoll(1);

    assertThatThrownBy(
            () ->
                Pipeline.from(source)
                    .collect("slow", slowThenFailing)
                    .to(new TestSink<>())
                    .commitInterval(Duration.ofMillis(1))
                    .build()
                    .run())
        .isInstanceOf(PipelineFailedException.class);
    assertThat(source.commits()).doesNotContain(9L);
  }

  @Test
  void aFailingEndOfInputFailsTheRunAndNamesTheCollector() {
    Collector<Integer, Integer> failing =
        new Collector<>() {
          @Override
          public void collect(Envelope<Integer> input, Output<Integer> output) {}

          @Override
          public void endOfInput(Output<Integer> output) {
            throw new IllegalStateException("state lost");
          }
        };

    TestSource<Integer> source = TestSource.of(numbers(10));

    assertThatThrownBy(
            () ->
                Pipeline.from(source)
                    .collect("windows", failing)
                    .to(new TestSink<>())
                    .deadLetters(new TestDeadLetterSink())
                    .commitInterval(Duration.ofHours(1)) // only the final commit
                    .build()
                    .run())
        .isInstanceOf(PipelineFailedException.class)
        .hasMessageContaining("collector 'windows' failed at the end of input")
        .hasMessageContaining(IllegalStateException.class.getName());
    assertThat(source.commits()).isEmpty();
  }
}
