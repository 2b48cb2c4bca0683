package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.RetryPolicy;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSource;
import dev.collect.stream.support.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Kafka#sink}: "a timeout is retried". A broker that does not create topics on demand gives
 * the producer no leader for a topic that does not exist yet, so its sends time out; the pipeline
 * retries the batch, and once the topic exists every record is written, none dead-lettered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaSinkTimeoutIT {
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(Map.of("auto.create.topics.enable", "false"));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  /** Passes every call through, remembering what {@code write} threw. */
  static final class Recording<T> implements Sink<T> {
    final Sink<T> delegate;
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    Recording(Sink<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public void open(PipelineContext context) throws Exception {
      delegate.open(context);
    }

    @Override
    public void write(List<Envelope<T>> batch) throws Exception {
      try {
        delegate.write(batch);
      } catch (Exception e) {
        failures.add(e);
        throw e;
      }
    }

    @Override
    public void flush() throws Exception {
      delegate.flush();
    }

    @Override
    public boolean isThreadSafe() {
      return delegate.isThreadSafe();
    }

    @Override
    public void close() throws Exception {
      delegate.close();
    }
  }

  @Test
  void aSendThatTimesOutIsRetriedUntilTheTopicIsServed() throws Exception {
    String topic = "sink-timeout-" + System.nanoTime();
    Recording<String> sink =
        new Recording<>(
            Kafka.sink(
                KafkaSinkConfig.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .deliveryTimeout(Duration.ofSeconds(2))
                    .properties(Map.of("max.block.ms", "500"))
                    .build(),
                v -> v.getBytes(StandardCharsets.UTF_8)));
    TestDeadLetterSink dead = new TestDeadLetterSink();
    Pipeline pipeline =
        Pipeline.from(TestSource.of(List.of("a", "b", "c")))
            .to(sink)
            .deadLetters(dead)
            .retry(
                RetryPolicy.builder()
                    .initialBackoff(Duration.ofMillis(100))
                    .maxBackoff(Duration.ofMillis(500))
                    .outageBudget(Duration.ofSeconds(60))
                    .build())
            .build();

    pipeline.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!timedOut(sink.failures) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    boolean timedOut = timedOut(sink.failures);
    broker.createTopic(topic, 1);
    RunReport report = pipeline.awaitTermination(Duration.ofSeconds(60));

    assertThat(timedOut).as("a write failed with the producer's TimeoutException").isTrue();
    assertThat(report.status()).isEqualTo(RunReport.Status.COMPLETED);
    assertThat(report.retried()).isPositive();
    assertThat(dead.letters()).isEmpty();
    assertThat(broker.readToEnd(topic))
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactly("a", "b", "c");
    assertThat(report.written()).isEqualTo(3);
    assertThat(report.invariantHolds()).isTrue();
  }

  private static boolean timedOut(List<Throwable> failures) {
    for (Throwable f : failures) {
      for (Throwable t = f; t != null; t = t.getCause()) {
        if (t instanceof TimeoutException) {
          return true;
        }
      }
    }
    return false;
  }
}
