package dev.collect.stream;

import dev.collect.core.DeadLetter;
import dev.collect.core.Sink;
import dev.collect.core.contract.SinkContract;
import dev.collect.stream.support.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** {@link Kafka#deadLetterSink}: each dead letter a record whose key is the original key. */
class KafkaDeadLetterSinkContractIT extends SinkContract<DeadLetter> {
  private KafkaBroker broker;
  private String topic;

  @BeforeEach
  void createTopic() throws Exception {
    broker = KafkaBroker.shared();
    topic = "contract-dlq-" + System.nanoTime();
    broker.createTopic(topic, 1);
  }

  @Override
  protected Sink<DeadLetter> newSink() {
    return deadLetters(
        Kafka.deadLetterSink(
            KafkaSinkConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .build()));
  }

  @Override
  protected DeadLetter record(String id) {
    return deadLetter(id);
  }

  @Override
  protected List<String> readBack() {
    return broker.readToEnd(topic).stream()
        .map(r -> new String(r.key(), StandardCharsets.UTF_8))
        .toList();
  }
}
