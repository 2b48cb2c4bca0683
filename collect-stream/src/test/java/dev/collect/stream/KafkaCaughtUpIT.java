package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code untilCaughtUp()}: a bounded run that ends once the group has consumed up to the end
 * offsets at open; keyless records keep their partition's order, the partitions spread evenly over
 * the workers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaCaughtUpIT {
  private static final int PARTITIONS = 4;
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.shared();
  }

  /** Writes values from..to-1 keyless, value i to partition i mod 4. */
  private static void produce(String topic, int from, int to) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    // Not idempotent: a fresh topic's first NOT_LEADER answer can leave an idempotent producer's
    // sequence numbers out of step with the in-JVM broker's.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = from; i < to; i++) {
        producer.send(
            new ProducerRecord<>(
                topic, i % PARTITIONS, null, String.valueOf(i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private static KafkaSourceConfig config(String topic, String group) {
    return broker.sourceConfig(topic, group).untilCaughtUp().build();
  }

  private static RunReport run(
      KafkaSourceConfig config, TestSink<String> sink, Map<Object, Set<String>> threads) {
    return Pipeline.from(Kafka.source(config))
        .collect(
            "decode",
            (Collector<byte[], String>)
                (input, out) -> {
                  threads
                      .computeIfAbsent(input.key(), k -> ConcurrentHashMap.newKeySet())
                      .add(Thread.currentThread().getName());
                  out.emit(new String(input.value(), StandardCharsets.UTF_8));
                })
        .to(sink)
        .workers(2)
        .commitInterval(Duration.ofMillis(100))
        .build()
        .run();
  }

  @Test
  void aCaughtUpRunEndsAtTheEndOffsetsAndTheNextRunTakesOnlyNewRecords() throws Exception {
    String topic = "caught-up-" + System.nanoTime();
    String group = "group-" + System.nanoTime();
    broker.createTopic(topic, PARTITIONS);
    produce(topic, 0, 4_000);
    TestSink<String> sink = new TestSink<>();
    Map<Object, Set<String>> threads = new ConcurrentHashMap<>();

    RunReport first = run(config(topic, group), sink, threads);

    assertThat(first.received()).isEqualTo(4_000);
    assertThat(first.received())
        .isEqualTo(first.written() + first.deadLettered() + first.filtered());
    Map<TopicPartition, OffsetAndMetadata> committed =
        broker.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (int p = 0; p < PARTITIONS; p++) {
      assertThat(committed.get(new TopicPartition(topic, p)).offset()).isEqualTo(1_000);
    }
    // Keyless records: ordered per partition, partitions 0 and 2 on one worker, 1 and 3 on the
    // other.
    Map<Integer, Integer> last = new HashMap<>();
    for (Envelope<String> e : sink.envelopes()) {
      assertThat(e.key())
          .isInstanceOf(PartitionKey.class)
          .hasToString(topic + "-" + ((PartitionKey) e.key()).partition());
      int value = Integer.parseInt(e.value());
      int partition = ((PartitionKey) e.key()).partition();
      assertThat(value).isGreaterThan(last.getOrDefault(partition, -1));
      last.put(partition, value);
    }
    Set<String> even = threads.get(new PartitionKey(topic, 0));
    Set<String> odd = threads.get(new PartitionKey(topic, 1));
    assertThat(even).hasSize(1).isEqualTo(threads.get(new PartitionKey(topic, 2)));
    assertThat(odd).hasSize(1).isEqualTo(threads.get(new PartitionKey(topic, 3)));
    assertThat(even).doesNotContainAnyElementsOf(odd);

    produce(topic, 4_000, 4_400);
    TestSink<String> next = new TestSink<>();
    RunReport second = run(config(topic, group), next, new ConcurrentHashMap<>());

    assertThat(second.received()).isEqualTo(400);
    assertThat(second.received())
        .isEqualTo(second.written() + second.deadLettered() + second.filtered());
    assertThat(next.values())
        .allSatisfy(v -> assertThat(Integer.parseInt(v)).isGreaterThanOrEqualTo(4_000));
  }

  @Test
  void recordsProducedAfterTheOpenAreLeftForTheNextRun() throws Exception {
    String topic = "caught-up-during-" + System.nanoTime();
    String group = "group-" + System.nanoTime();
    broker.createTopic(topic, PARTITIONS);
    produce(topic, 0, 4_000);
    TestSink<String> sink = new TestSink<>();
    java.util.concurrent.atomic.AtomicBoolean producedDuringRun =
        new java.util.concurrent.atomic.AtomicBoolean();

    // The first record proves the source is open: 400 more records are produced then, mid-run.
    RunReport first =
        Pipeline.from(Kafka.source(config(topic, group)))
            .collect(
                "decode",
                (Collector<byte[], String>)
                    (input, out) -> {
                      if (producedDuringRun.compareAndSet(false, true)) {
                        try {
                          produce(topic, 4_000, 4_400);
                        } catch (Exception e) {
                          throw new IllegalStateException(e);
                        }
                      }
                      out.emit(new String(input.value(), StandardCharsets.UTF_8));
                    })
            .to(sink)
            .workers(2)
            .commitInterval(Duration.ofMillis(100))
            .build()
            .run();
    TestSink<String> next = new TestSink<>();
    RunReport second = run(config(topic, group), next, new ConcurrentHashMap<>());

    assertThat(producedDuringRun).isTrue();
    assertThat(first.invariantHolds()).isTrue();
    assertThat(new HashSet<>(sink.values())).isEqualTo(numbers(0, 4_000));
    assertThat(sink.values()).hasSize(4_000);
    assertThat(second.invariantHolds()).isTrue();
    assertThat(new HashSet<>(next.values())).isEqualTo(numbers(4_000, 4_400));
    assertThat(next.values()).hasSize(400);
  }

  private static Set<String> numbers(int from, int to) {
    Set<String> out = new HashSet<>();
    for (int i = from; i < to; i++) {
      out.add(String.valueOf(i));
    }
    return out;
  }

  @Test
  void anEmptyTopicEndsAtOnce() throws Exception {
    String topic = "caught-up-empty-" + System.nanoTime();
    broker.createTopic(topic, PARTITIONS);

    RunReport report =
        run(
            config(topic, "group-" + System.nanoTime()),
            new TestSink<>(),
            new ConcurrentHashMap<>());

    assertThat(report.received()).isZero();
    assertThat(report.written()).isZero();
  }

  @Test
  void twoMembersOfOneGroupBothEndOnceTheGroupCaughtUp() throws Exception {
    String topic = "caught-up-group-" + System.nanoTime();
    String group = "group-" + System.nanoTime();
    broker.createTopic(topic, PARTITIONS);
    produce(topic, 0, 8_000);
    TestSink<String> sinkA = new TestSink<>();
    TestSink<String> sinkB = new TestSink<>();

    CompletableFuture<RunReport> a =
        CompletableFuture.supplyAsync(
            () -> run(config(topic, group), sinkA, new ConcurrentHashMap<>()));
    CompletableFuture<RunReport> b =
        CompletableFuture.supplyAsync(
            () -> run(config(topic, group), sinkB, new ConcurrentHashMap<>()));
    RunReport ra = a.get(90, TimeUnit.SECONDS);
    RunReport rb = b.get(90, TimeUnit.SECONDS);

    for (RunReport r : List.of(ra, rb)) {
      assertThat(r.received()).isEqualTo(r.written() + r.deadLettered() + r.filtered());
    }
    Set<String> all = new HashSet<>(sinkA.values());
    all.addAll(sinkB.values());
    assertThat(all).hasSize(8_000);
    Map<TopicPartition, OffsetAndMetadata> committed =
        broker.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (int p = 0; p < PARTITIONS; p++) {
      assertThat(committed.get(new TopicPartition(topic, p)).offset()).isEqualTo(2_000);
    }
  }
}
