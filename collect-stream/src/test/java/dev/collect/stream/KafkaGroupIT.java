package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.MetricNames;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.stream.internal.KafkaSourceImpl;
import dev.collect.stream.support.IdempotentMapSink;
import dev.collect.stream.support.KafkaBroker;
import dev.collect.stream.support.KillableSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Kafka source, sink and dead-letter topic against a real in-JVM broker. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaGroupIT {
  private static final int EVENTS = 100_000;
  private static final int POISON_EVERY = 1000;
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  /** The ids of events; every thousandth event is not a number and must be dead-lettered. */
  private static final Collector<byte[], Long> PARSE_ID =
      (input, output) -> {
        String text = new String(input.value(), StandardCharsets.UTF_8);
        try {
          output.emit(Long.parseLong(text));
        } catch (NumberFormatException e) {
          throw new MalformedRecordException("not an event id");
        }
      };

  @Test
  void twoInstancesShareTheGroupAndAKilledOneLosesNothing() throws Exception {
    String topic = "events-" + System.nanoTime();
    String dlq = topic + "-dlq";
    String group = "group-" + System.nanoTime();
    broker.createTopic(topic, 4);
    broker.createTopic(dlq, 1);
    IdempotentMapSink sink = new IdempotentMapSink();
    KillableSource<byte[]> sourceA = new KillableSource<>(Kafka.source(sourceConfig(topic, group)));
    Pipeline a = pipeline("a", sourceA, sink, dlq);
    Pipeline b = pipeline("b", Kafka.source(sourceConfig(topic, group)), sink, dlq);
    a.start();
    b.start();
    awaitMembers(group, 2);

    produce(topic);
    awaitTrue(() -> sink.distinct() >= 30_000);
    sourceA.kill();
    RunReport reportA = a.awaitTermination(Duration.ofSeconds(30));
    int expectedGood = EVENTS - EVENTS / POISON_EVERY;
    awaitTrue(() -> sink.distinct() >= expectedGood);
    List<ConsumerRecord<byte[], byte[]>> dead =
        broker.readAll(dlq, EVENTS / POISON_EVERY, Duration.ofSeconds(30));
    RunReport reportB = b.stop(Duration.ofSeconds(30));

    assertThat(reportA.status()).isEqualTo(RunReport.Status.FAILED);
    assertThat(reportB.invariantHolds()).isTrue();
    assertThat(reportB.written()).isPositive();
    Set<Long> deadIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      deadIds.add(Long.parseLong(new String(r.key(), StandardCharsets.UTF_8)));
    }
    Set<Long> all = new HashSet<>(sink.ids());
    all.addAll(deadIds);
    // None lost: every event is written or dead-lettered.
    assertThat(all).hasSize(EVENTS);
    assertThat(deadIds).allMatch(id -> id % POISON_EVERY == 0);
    // None twice at the idempotent sink; duplicates in the append log only from A's uncommitted
    // tail: at or after the offset A last committed for that partition.
    assertThat(sink.distinct()).isEqualTo(expectedGood);
    Map<TopicPartition, Long> committedByA =
        sourceA.lastCommitted() == null
            ? Map.of()
            : ((KafkaPosition) sourceA.lastCommitted()).nextOffsets();
    for (KafkaPosition duplicate : sink.duplicates()) {
      TopicPartition tp = new TopicPartition(duplicate.topic(), duplicate.partition());
      assertThat(duplicate.offset()).isGreaterThanOrEqualTo(committedByA.getOrDefault(tp, 0L));
    }
    System.out.printf(
        "kafka group run: A wrote %d before the kill, B %d; %d duplicate writes in the log%n",
        reportA.written(), reportB.written(), sink.duplicates().size());
  }

  @Test
  void deadLetterTopicKeepsOriginalBytesAndFailureHeaders() throws Exception {
    String topic = "dl-" + System.nanoTime();
    String dlq = topic + "-dlq";
    broker.createTopic(topic, 1);
    broker.createTopic(dlq, 1);
    byte[] invalidUtf8 = {(byte) 0xC3, (byte) 0x28, '1'};
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      producer.send(new ProducerRecord<>(topic, "k1".getBytes(), "1".getBytes())).get();
      producer.send(new ProducerRecord<>(topic, "k2".getBytes(), invalidUtf8)).get();
      producer.send(new ProducerRecord<>(topic, "k3".getBytes(), "3".getBytes())).get();
      producer.send(new ProducerRecord<>(topic, "k4".getBytes(), null)).get(); // a tombstone
    }
    IdempotentMapSink sink = new IdempotentMapSink();
    KafkaSourceConfig byPattern =
        KafkaSourceConfig.builder()
            .bootstrapServers(broker.bootstrapServers())
            .groupId("g-" + topic)
            .topicPattern(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(topic)))
            .build();
    Pipeline p = pipeline("dl", Kafka.source(byPattern), sink, dlq);
    p.start();

    List<ConsumerRecord<byte[], byte[]>> dead = broker.readAll(dlq, 2, Duration.ofSeconds(30));
    awaitTrue(() -> sink.distinct() >= 2);
    RunReport report = p.stop(Duration.ofSeconds(30));

    assertThat(report.received()).isEqualTo(4);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead).hasSize(2);
    ConsumerRecord<byte[], byte[]> tombstone =
        dead.stream().filter(r -> "k4".equals(new String(r.key()))).findFirst().orElseThrow();
    assertThat(tombstone.key()).isEqualTo("k4".getBytes());
    assertThat(tombstone.value()).isNull();
    assertThat(
            new String(
                tombstone
                    .headers()
                    .lastHeader(Kafka.ERROR_HEADER_PREFIX + "payload.encoding")
                    .value(),
                StandardCharsets.UTF_8))
        .isEqualTo("none");
    ConsumerRecord<byte[], byte[]> letter =
        dead.stream().filter(r -> "k2".equals(new String(r.key()))).findFirst().orElseThrow();
    assertThat(letter.value()).isEqualTo(invalidUtf8);
    assertThat(letter.key()).isEqualTo("k2".getBytes());
    Map<String, String> headers = new HashMap<>();
    for (Header h : letter.headers()) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    String prefix = Kafka.ERROR_HEADER_PREFIX;
    assertThat(headers)
        .containsEntry(prefix + "stage", "collect")
        .containsEntry(prefix + "reason", "malformed")
        .containsEntry(prefix + "position.topic", topic)
        .containsEntry(prefix + "position.partition", "0")
        .containsEntry(prefix + "position.offset", "1")
        .containsEntry(prefix + "payload.encoding", "base64")
        .containsEntry(prefix + "exception.class.name", MalformedRecordException.class.getName());
  }

  @Test
  void kafkaSinkWritesRecordsAndRejectsOversizedOnes() throws Exception {
    String out = "out-" + System.nanoTime();
    broker.createTopic(out, 2);
    byte[] huge = new byte[2 * 1024 * 1024];
    List<byte[]> values = List.of("a".getBytes(), huge, "b".getBytes());
    dev.collect.core.testing.TestDeadLetterSink dead =
        new dev.collect.core.testing.TestDeadLetterSink();
    Sink<byte[]> kafkaSink =
        Kafka.bytesSink(
            KafkaSinkConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic(out)
                .build());

    RunReport report =
        Pipeline.from(dev.collect.core.Source.fromList("list", values))
            .to(kafkaSink)
            .deadLetters(dead)
            .build()
            .run();

    List<ConsumerRecord<byte[], byte[]>> written = broker.readAll(out, 2, Duration.ofSeconds(30));
    assertThat(report.written()).isEqualTo(2);
    assertThat(report.deadLettered()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(written).extracting(r -> new String(r.value())).containsExactlyInAnyOrder("a", "b");
    assertThat(dead.letters().get(0).errorClass()).contains("RecordTooLarge");
  }

  @Test
  void pausesAFullPartitionInsteadOfBufferingAndResumesOnceDrained() throws Exception {
    String topic = "bp-" + System.nanoTime();
    broker.createTopic(topic, 1);
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < 5000; i++) {
        producer.send(new ProducerRecord<>(topic, null, String.valueOf(i).getBytes()));
      }
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KafkaSourceImpl source =
        (KafkaSourceImpl)
            Kafka.source(
                KafkaSourceConfig.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .groupId("g-" + topic)
                    .topics(topic)
                    .maxPollRecords(500)
                    .pauseThreshold(100)
                    .build());
    source.open(new PipelineContext("bp", registry, CheckpointStore.inMemory()));
    List<Envelope<byte[]>> received = new ArrayList<>();
    while (received.isEmpty()) {
      received.addAll(source.poll(10, Duration.ofMillis(200)));
    }

    int maxBuffered = 0;
    for (int i = 0; i < 20; i++) {
      received.addAll(source.poll(10, Duration.ofMillis(50)));
      maxBuffered = Math.max(maxBuffered, source.buffered());
    }
    Set<TopicPartition> pausedWhileFull = source.pausedPartitions();
    double lagWhileFull = registry.get(MetricNames.SOURCE_LAG).gauge().value();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (received.size() < 5000 && System.nanoTime() < deadline) {
      received.addAll(source.poll(1000, Duration.ofMillis(200)));
    }
    source.commit(received.get(received.size() - 1).position());
    source.poll(10, Duration.ofMillis(50));
    long committed =
        broker
            .admin()
            .listConsumerGroupOffsets("g-" + topic)
            .partitionsToOffsetAndMetadata()
            .get()
            .get(new TopicPartition(topic, 0))
            .offset();
    double lagAtEnd = registry.get(MetricNames.SOURCE_LAG).gauge().value();
    source.close();

    assertThat(pausedWhileFull).containsExactly(new TopicPartition(topic, 0));
    assertThat(maxBuffered).isLessThanOrEqualTo(500);
    assertThat(lagWhileFull).isGreaterThan(0);
    assertThat(received)
        .extracting(e -> ((KafkaPosition) e.position()).offset())
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 5000).boxed().toList());
    assertThat(source.pausedPartitions()).isEmpty();
    assertThat(committed).isEqualTo(5000);
    assertThat(lagAtEnd).isZero();
  }

  @Test
  void positionsFromBeforeARevocationNeverMoveTheNewOwnersOffsets() throws Exception {
    String topic = "rev-" + System.nanoTime();
    String group = "g-" + topic;
    broker.createTopic(topic, 2);
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < 200; i++) {
        producer.send(new ProducerRecord<>(topic, i % 2, null, String.valueOf(i).getBytes()));
      }
    }
    KafkaSourceImpl a = (KafkaSourceImpl) Kafka.source(sourceConfig(topic, group));
    a.open(new PipelineContext("rev", new SimpleMeterRegistry(), CheckpointStore.inMemory()));
    List<Envelope<byte[]>> delivered = new ArrayList<>();
    while (delivered.size() < 200) {
      delivered.addAll(a.poll(1000, Duration.ofMillis(200)));
    }
    dev.collect.core.Position inFlight = delivered.get(delivered.size() - 1).position();

    java.util.concurrent.atomic.AtomicBoolean stopB =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger readByB =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread b =
        new Thread(
            () -> {
              try (var consumer =
                  broker.consumer(
                      group,
                      Map.of(
                          "partition.assignment.strategy",
                          org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class
                              .getName()))) {
                consumer.subscribe(Set.of(topic));
                while (!stopB.get()) {
                  readByB.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
                }
              }
            });
    b.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (a.assignment().size() != 1 && System.nanoTime() < deadline) {
      a.poll(1000, Duration.ofMillis(100));
    }
    Set<TopicPartition> kept = a.assignment();
    a.commit(inFlight);
    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = Map.of();
    while (committed.get(kept.iterator().next()) == null && System.nanoTime() < deadline) {
      a.poll(1000, Duration.ofMillis(100)); // a commit deferred by the rebalance is retried here
      committed =
          broker.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }
    awaitTrue(() -> readByB.get() >= 100);
    stopB.set(true);
    b.join(10_000);
    a.close();

    assertThat(kept).hasSize(1);
    TopicPartition keptPartition = kept.iterator().next();
    TopicPartition revoked = new TopicPartition(topic, 1 - keptPartition.partition());
    assertThat(committed.get(keptPartition).offset()).isEqualTo(100);
    assertThat(committed.get(revoked)).isNull();
    assertThat(readByB.get()).isEqualTo(100); // the new owner re-read the uncommitted partition
  }

  private static KafkaSourceConfig sourceConfig(String topic, String group) {
    return broker.sourceConfig(topic, group).build();
  }

  private static Pipeline pipeline(
      String name, dev.collect.core.Source<byte[]> source, Sink<Long> sink, String dlq) {
    return Pipeline.from(source)
        .collect("parse", PARSE_ID)
        .to(sink)
        .deadLetters(
            Kafka.deadLetterSink(
                KafkaSinkConfig.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(dlq)
                    .name("dlq")
                    .build()))
        .name(name)
        .workers(2)
        .commitInterval(Duration.ofMillis(200))
        .build();
  }

  private static void produce(String topic) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < EVENTS; i++) {
        byte[] key = String.valueOf(i).getBytes(StandardCharsets.UTF_8);
        byte[] value = i % POISON_EVERY == 0 ? "poison".getBytes() : key;
        producer.send(new ProducerRecord<>(topic, key, value));
      }
      producer.flush();
    }
  }

  private static void awaitMembers(String group, int members) throws Exception {
    awaitTrue(
        () -> {
          ConsumerGroupDescription d =
              broker
                  .admin()
                  .describeConsumerGroups(List.of(group))
                  .all()
                  .get(10, TimeUnit.SECONDS)
                  .get(group);
          return d.members().size() == members
              && d.members().stream().allMatch(m -> m.assignment().topicPartitions().size() == 2);
        });
  }

  private static void awaitTrue(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 90 s");
      }
      Thread.sleep(50);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean ok() throws Exception;
  }
}
