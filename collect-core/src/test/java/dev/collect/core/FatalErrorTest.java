package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * collect-core's README, "Record failures and outages": an {@code Error} at a sink is fatal, and
 * the pipeline stops without committing — neither retried nor dead-lettered, and no position of the
 * batch it was thrown from (or later) is committed.
 */
@Timeout(30)
class FatalErrorTest {

  @Test
  void anErrorThrownByASinkStopsThePipelineWithoutCommittingItsBatch() {
    List<Integer> input = IntStream.range(0, 100).boxed().toList();
    TestSource<Integer> source = TestSource.of(input).maxPerPoll(10);
    TestDeadLetterSink dead = new TestDeadLetterSink();
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    int[] writes = {0};
    Sink<Integer> sink =
        new Sink<>() {
          @Override
          public String name() {
            return "fails-with-an-error-on-its-fourth-write";
          }

          @Override
          public void write(List<Envelope<Integer>> batch) {
            if (++writes[0] == 4) {
              throw new StackOverflowError("deep recursion in the sink");
            }
            batch.forEach(e -> written.add(e.value()));
          }
        };
    Pipeline pipeline =
        Pipeline.from(source).to(sink).deadLetters(dead).batch(BatchPolicy.ofRecords(10)).build();

    assertThatThrownBy(pipeline::run)
        .isInstanceOf(PipelineFailedException.class)
        .hasMessageContaining("StackOverflowError");
    assertThat(writes[0]).as("not retried").isEqualTo(4);
    assertThat(written).containsExactlyElementsOf(input.subList(0, 30));
    assertThat(dead.letters()).as("not dead-lettered").isEmpty();
    assertThat(source.lastCommitted()).as("nothing of the failed batch committed").isLessThan(30);
    RunReport report = pipeline.report();
    assertThat(report.written()).isEqualTo(30);
    assertThat(report.invariantHolds()).isFalse(); // the failed batch is neither written nor lost
  }
}
