package dev.collect.stream;

import static dev.collect.stream.support.TracedRun.BAD_TRACE;
import static dev.collect.stream.support.TracedRun.GOOD_TRACE;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.stream.support.KafkaBroker;
import dev.collect.stream.support.TracedRun;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A record's trace, from the W3C trace context in its Kafka headers to the sink span, and a dead
 * letter carrying its trace id, through Brave behind Micrometer Tracing and a real in-JVM broker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaTraceIT {
  @Test
  void aRecordIsFollowedFromItsKafkaHeadersToTheSinkSpanAndIntoItsDeadLetter() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = "traced-" + System.nanoTime();
    broker.createTopic(topic, 1);
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      producer.send(record(topic, "42", GOOD_TRACE)).get();
      producer.send(record(topic, "not a number", BAD_TRACE)).get();
    }
    TracedRun traced = new TracedRun();

    RunReport report;
    try (traced) {
      Pipeline pipeline =
          traced
              .pipeline(
                  Kafka.source(broker.sourceConfig(topic, "traced-" + System.nanoTime()).build()))
              .build();
      long t0 = System.nanoTime();
      pipeline.start();
      traced.awaitWrittenAndDeadLettered(Duration.ofSeconds(60));
      long t1 = System.nanoTime();
      report = pipeline.stop(Duration.ofSeconds(30));
      System.out.printf(
          "TIMING written after %d ms, stopped after %d ms%n",
          (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
    }

    traced.assertFollowed(report);
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String value, String trace) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8));
    TracedRun.context(trace)
        .forEach(
            (key, header) -> record.headers().add(key, header.getBytes(StandardCharsets.UTF_8)));
    return record;
  }
}
