package dev.collect.stream;

import dev.collect.core.Sink;
import dev.collect.core.contract.SinkContract;
import dev.collect.stream.support.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/** {@link Kafka#sink} on the in-JVM broker, read back by a consumer of a new group. */
class KafkaSinkContractIT extends SinkContract<String> {
  protected KafkaBroker broker;
  protected String topic;

  @BeforeEach
  void createTopic() throws Exception {
    broker = KafkaBroker.shared();
    topic = "contract-sink-" + System.nanoTime();
    broker.createTopic(topic, 1);
  }

  protected KafkaSinkConfig config() {
    return KafkaSinkConfig.builder()
        .bootstrapServers(broker.bootstrapServers())
        .topic(topic)
        .build();
  }

  @Override
  protected Sink<String> newSink() {
    return Kafka.sink(config(), value -> value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected String record(String id) {
    return id;
  }

  @Override
  protected String rejectedRecord(String id) {
    return "x".repeat(2 * 1024 * 1024); // over the broker's and producer's 1 MiB record limit
  }

  @Override
  protected boolean reportsRejectedRecords() {
    return true;
  }

  @Override
  protected List<String> readBack() throws Exception {
    return broker.readToEnd(topic).stream()
        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
        .toList();
  }
}
