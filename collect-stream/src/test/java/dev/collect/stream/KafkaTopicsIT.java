package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.CollectException;
import dev.collect.stream.support.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** {@link Kafka#createTopics}: a topic is served when the call returns; existing ones are kept. */
class KafkaTopicsIT {
  @Test
  void aNewTopicTakesEveryRecordOfAnIdempotentProducerAtOnceAndAnExistingOneIsKept()
      throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = "created-" + System.nanoTime();
    Kafka.createTopics(broker.admin(), 4, Duration.ofSeconds(30), topic);
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < 4000; i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, i % 4, null, new byte[] {1})));
      }
    }
    for (Future<RecordMetadata> f : sent) {
      f.get(30, TimeUnit.SECONDS);
    }
    Kafka.createTopics(broker.admin(), 4, Duration.ofSeconds(30), topic); // kept as it is

    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < 4; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    assertThat(broker.admin().listOffsets(latest).all().get().values())
        .allSatisfy(info -> assertThat(info.offset()).isEqualTo(1000));
  }

  @Test
  void aTopicTheBrokerRefusesFailsWithItsName() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    assertThatThrownBy(
            () -> Kafka.createTopics(broker.admin(), -2, Duration.ofSeconds(10), "refused-topic"))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("refused-topic");
  }
}
