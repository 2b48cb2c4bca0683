package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.BatchPolicy;
import dev.collect.core.Envelope;
import dev.collect.core.MetricNames;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.stream.support.KafkaBroker;
import dev.collect.stream.support.KillableSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gauge {@code collect.source.lag}: records behind the log end, buffered ones included, so it
 * equals the log end minus the records handed to the pipeline.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaLagIT {

  /** Blocks every write until {@link #release()}, then writes nothing anywhere: a held sink. */
  static final class HeldSink implements Sink<byte[]> {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger written = new AtomicInteger();
    volatile boolean blocked;

    void release() {
      release.countDown();
    }

    @Override
    public String name() {
      return "held";
    }

    @Override
    public void write(List<Envelope<byte[]>> batch) throws Exception {
      blocked = true;
      release.await();
      written.addAndGet(batch.size());
    }
  }

  @Test
  void lagIsTheLogEndMinusWhatWasHandedToThePipeline() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = "lag-" + System.nanoTime();
    broker.createTopic(topic, 1);
    int produced = 3000;
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < produced; i++) {
        producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(), ("v" + i).getBytes()));
      }
      producer.flush();
    }
    KillableSource<byte[]> source =
        new KillableSource<>(
            Kafka.source(broker.sourceConfig(topic, "g-" + topic).maxPollRecords(500).build()));
    HeldSink sink = new HeldSink();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Pipeline pipeline =
        Pipeline.from(source)
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .metrics(registry)
            .queueCapacity(40, 64L * 1024 * 1024)
            .batch(BatchPolicy.ofRecords(10))
            .build();

    pipeline.start();
    // Held: the sink blocks, the queue fills, the reader stops taking records. Wait until the
    // count of records handed on stops moving (bounded).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int handed = -1;
    while (System.nanoTime() < deadline) {
      int before = source.deliveredCount();
      Thread.sleep(500);
      if (sink.blocked && before > 0 && source.deliveredCount() == before) {
        handed = before;
        break;
      }
    }
    double lag =
        registry.get(MetricNames.SOURCE_LAG).tag("pipeline", pipeline.name()).gauge().value();
    int handedAtRead = source.deliveredCount();
    sink.release();
    RunReport report = pipeline.stop(Duration.ofSeconds(30));

    assertThat(handed).as("the pipeline was held").isPositive().isLessThan(produced);
    assertThat(handedAtRead).isEqualTo(handed);
    assertThat(lag).isEqualTo((double) (produced - handed));
    assertThat(report.invariantHolds()).isTrue();
  }
}
