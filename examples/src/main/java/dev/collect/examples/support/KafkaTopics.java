package dev.collect.examples.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Creating the example topics and filling them from files, as the example mains do. */
public final class KafkaTopics {
  private KafkaTopics() {}

  /**
   * Creates the topics (an existing one is kept as it is) and returns once the leader serves every
   * partition. Producing before then can lose records even with an idempotent producer: a first
   * batch refused with NOT_LEADER_OR_FOLLOWER is refused as out of order on every retry once a
   * later batch landed (KAFKA-15591).
   */
  public static void create(String servers, int partitions, String... topics) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", servers))) {
      List<NewTopic> newTopics =
          Stream.of(topics)
              .map(t -> new NewTopic(t, Optional.of(partitions), Optional.empty()))
              .toList();
      try {
        admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      // ListOffsets is answered by a partition's leader only.
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (String topic : topics) {
        for (int p = 0; p < partitions; p++) {
          latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException e) { // the admin client may not know the topic yet
          if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(20);
        }
      }
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
