package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The root README's "{@code Pipeline.isLive()} and {@code isReady()} answer liveness and readiness
 * separately", with {@link Pipeline}'s definitions: ready only while records are taken, live until
 * the pipeline failed. A stopped pipeline is live and not ready; a failed one is neither.
 */
@Timeout(60)
class HealthTest {
  private static final List<Integer> INPUT = IntStream.range(0, 1000).boxed().toList();

  @Test
  void aStoppedPipelineIsLiveButNotReady() throws Exception {
    TestSink<Integer> sink = new TestSink<>();
    Pipeline pipeline = Pipeline.from(TestSource.of(INPUT).unbounded()).to(sink).build();
    assertThat(pipeline.isReady()).as("ready before start").isFalse();
    assertThat(pipeline.isLive()).as("live before start").isTrue();

    pipeline.start();
    assertThat(sink.awaitSize(INPUT.size(), Duration.ofSeconds(20))).isTrue();
    assertThat(pipeline.isReady()).as("ready while running").isTrue();
    assertThat(pipeline.isLive()).as("live while running").isTrue();

    RunReport report = pipeline.stop(Duration.ofSeconds(10));
    assertThat(report.status()).isEqualTo(RunReport.Status.STOPPED);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(pipeline.isReady()).as("ready after stop").isFalse();
    assertThat(pipeline.isLive()).as("live after stop").isTrue();
  }

  @Test
  void aFailedPipelineIsNeitherLiveNorReady() throws Exception {
    Sink<Integer> broken =
        new Sink<>() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public void write(List<Envelope<Integer>> batch) {
            throw new IllegalStateException("a bug in the sink");
          }
        };
    Pipeline pipeline = Pipeline.from(TestSource.of(INPUT).unbounded()).to(broken).build();

    pipeline.start();
    RunReport report = pipeline.awaitTermination(Duration.ofSeconds(20));
    assertThat(report.status()).isEqualTo(RunReport.Status.FAILED);
    assertThat(pipeline.isLive()).as("live after failure").isFalse();
    assertThat(pipeline.isReady()).as("ready after failure").isFalse();
  }
}
