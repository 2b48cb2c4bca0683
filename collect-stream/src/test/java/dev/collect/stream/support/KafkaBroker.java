package dev.collect.stream.support;

import dev.collect.stream.Kafka;
import dev.collect.stream.KafkaSourceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A one-broker KRaft cluster in the test JVM (Kafka's own test kit, an internal API kept in this
 * one class). Start one per test class; it takes 6-8 s.
 */
public final class KafkaBroker implements AutoCloseable {
  private static KafkaBroker shared;
  private final KafkaClusterTestKit cluster;
  private final Admin admin;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.admin = cluster.admin();
  }

  /** Formats and starts the broker, waiting until it is ready. */
  public static KafkaBroker start() throws Exception {
    return start(Map.of());
  }

  /** {@link #start()} with further broker settings (e.g. {@code auto.create.topics.enable}). */
  public static KafkaBroker start(Map<String, String> brokerConfig) throws Exception {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    brokerConfig.forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster =
        builder
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.min.session.timeout.ms", "1000")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new KafkaBroker(cluster);
  }

  /**
   * One broker for the whole test JVM, started on first use and stopped when the JVM exits, for
   * test classes that only need topics of their own.
   */
  public static synchronized KafkaBroker shared() throws Exception {
    if (shared == null) {
      KafkaBroker broker = start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::closeQuietly));
      shared = broker;
    }
    return shared;
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      // The JVM is exiting.
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public Admin admin() {
    return admin;
  }

  /**
   * Creates a topic and waits until its leader serves every partition ({@link Kafka#createTopics}).
   */
  public void createTopic(String name, int partitions) throws Exception {
    Kafka.createTopics(admin, partitions, Duration.ofSeconds(30), name);
  }

  /**
   * A source of {@code group} on this broker reading {@code topic}, with a short session timeout (6
   * s, heartbeat every 0.5 s) so that a member that left is noticed quickly.
   */
  public KafkaSourceConfig.Builder sourceConfig(String topic, String group) {
    return KafkaSourceConfig.builder()
        .bootstrapServers(bootstrapServers())
        .groupId(group)
        .topics(topic)
        .properties(Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "500"));
  }

  /** A plain producer with the given extra properties. */
  public KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A plain consumer of a new group reading from the beginning. */
  public KafkaConsumer<byte[], byte[]> consumer(String group, Map<String, String> extra) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.putAll(extra);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Reads a whole topic until {@code expected} records arrived or {@code timeout} passed. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(
      String topic, int expected, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        consumer("reader-" + System.nanoTime(), Map.of())) {
      consumer.subscribe(Set.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** Every record of partition 0 of {@code topic}, from its start to its end offset now. */
  public List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        consumer("reader-" + System.nanoTime(), Map.of())) {
      consumer.assign(Set.of(partition));
      consumer.seekToBeginning(Set.of(partition));
      long end = consumer.endOffsets(Set.of(partition)).get(partition);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    admin.close();
    cluster.close();
  }
}
