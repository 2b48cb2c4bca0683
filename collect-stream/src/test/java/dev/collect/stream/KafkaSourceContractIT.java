package dev.collect.stream;

import dev.collect.core.Envelope;
import dev.collect.core.Source;
import dev.collect.core.contract.SourceContract;
import dev.collect.stream.support.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;

/** {@link Kafka#source} on the in-JVM broker: one single-partition topic and group per test. */
class KafkaSourceContractIT extends SourceContract<byte[]> {
  private KafkaBroker broker;
  private String topic;

  @BeforeEach
  void createTopic() throws Exception {
    broker = KafkaBroker.shared();
    topic = "contract-source-" + System.nanoTime();
    broker.createTopic(topic, 1);
  }

  @Override
  protected void write(List<String> ids) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (String id : ids) {
        producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  @Override
  protected Source<byte[]> newSource() {
    return Kafka.source(broker.sourceConfig(topic, topic).build());
  }

  @Override
  protected String idOf(Envelope<byte[]> envelope) {
    return new String(envelope.value(), StandardCharsets.UTF_8);
  }

  @Override
  protected boolean isBounded() {
    return false;
  }
}
