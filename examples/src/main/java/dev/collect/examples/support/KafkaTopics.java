package dev.collect.examples.support;

import dev.collect.stream.Kafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Creating the example topics and filling them from files, as the example mains do. */
public final class KafkaTopics {
  private KafkaTopics() {}

  /** Creates the topics and waits until their leaders serve them ({@link Kafka#createTopics}). */
  public static void create(String servers, int partitions, String... topics) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", servers))) {
      Kafka.createTopics(admin, partitions, Duration.ofSeconds(30), topics);
    }
  }

  /**
   * Sends every line of {@code input} as one record without a key and returns how many, once the
   * broker acknowledged them all; a record it refused fails the call.
   */
  public static int produceLines(String servers, String topic, Path input)
      throws IOException, InterruptedException, ExecutionException {
    Map<String, Object> config =
        Map.of("bootstrap.servers", servers, "linger.ms", 5, "acks", "all");
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
        sent.add(producer.send(new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8))));
      }
    }
    for (Future<RecordMetadata> f : sent) {
      f.get();
    }
    return sent.size();
  }
}
