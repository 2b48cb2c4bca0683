package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.BatchPolicy;
import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.internal.KafkaSourceImpl;
import dev.collect.stream.support.GateSink;
import dev.collect.stream.support.KafkaBroker;
import dev.collect.stream.support.KillableSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the README promises about Kafka delivery: how much a crash makes the group read twice,
 * positions from before a revocation when the partition comes back, and the envelope's key and
 * event time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaDeliveryIT {
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.shared();
  }

  @Test
  void aCrashReReadsAtMostTheQueuesTheReadersPollTheSinkBatchesAndOneIntervalsSettledRecords()
      throws Exception {
    String topic = "bound-" + System.nanoTime();
    String group = "g-" + topic;
    broker.createTopic(topic, 1);
    int records = 1_000;
    produceValues(topic, records);
    int queue = 40; // queueCapacity, records
    int batch = 10; // BatchPolicy.maxRecords: records per poll and per sink batch
    int workers = 1;
    int passing = 3; // sink writes that succeed before the sink blocks
    GateSink<byte[]> sink = new GateSink<>(passing);
    KillableSource<byte[]> first = new KillableSource<>(Kafka.source(config(topic, group)));
    Pipeline crashing = pipeline(first, sink, workers, queue, batch);

    crashing.start();
    await(sink::isBlocked);
    // The queue has filled behind the blocked sink and the first settled batch was committed
    // (the interval is 10 minutes: there is no other commit).
    await(() -> first.deliveredCount() >= passing * batch + batch + queue);
    await(() -> committed(group, topic) != null);
    long committedOffset = committed(group, topic);
    first.kill(); // nothing is committed from now on
    sink.crash(); // and the blocked write fails the pipeline
    RunReport crashed = crashing.awaitTermination(Duration.ofSeconds(30));
    TestSink<byte[]> rest = new TestSink<>();
    KillableSource<byte[]> second =
        new KillableSource<>(
            Kafka.source(broker.sourceConfig(topic, group).untilCaughtUp().build()));
    RunReport restarted =
        Pipeline.from(second)
            .to(rest)
            .workers(workers)
            .commitInterval(Duration.ofMillis(50))
            .build()
            .run();

    assertThat(crashed.status()).isEqualTo(RunReport.Status.FAILED);
    assertThat(restarted.invariantHolds()).isTrue();
    Set<Long> readBefore = offsets(first.delivered());
    Set<Long> readAfter = offsets(second.delivered());
    Set<Long> readTwice = new HashSet<>(readBefore);
    readTwice.retainAll(readAfter);
    long settledSinceCommit = passing * batch - committedOffset; // written after the commit
    long bound = workers * (queue + 2L * batch - 1) + batch + settledSinceCommit;
    System.out.printf(
        "crash re-read %d records (bound %d, old README bound %d): committed %d, read before the"
            + " crash %d%n",
        readTwice.size(),
        bound,
        queue + batch + settledSinceCommit,
        committedOffset,
        readBefore.size());
    assertThat(committedOffset).isBetween((long) batch, (long) passing * batch);
    assertThat(readTwice.size()).isLessThanOrEqualTo((int) bound).isGreaterThanOrEqualTo(0);
    // The restart starts at the committed offset: what is read twice is exactly the tail after it.
    assertThat(readAfter)
        .isEqualTo(LongStream.range(committedOffset, records).boxed().collect(Collectors.toSet()));
    assertThat(readTwice)
        .isEqualTo(
            readBefore.stream().filter(o -> o >= committedOffset).collect(Collectors.toSet()));
    Set<String> all = new HashSet<>();
    sink.written().forEach(v -> all.add(new String(v, StandardCharsets.UTF_8)));
    rest.values().forEach(v -> all.add(new String(v, StandardCharsets.UTF_8)));
    assertThat(all)
        .isEqualTo(
            LongStream.range(0, records).mapToObj(Long::toString).collect(Collectors.toSet()));
  }

  @Test
  void aPositionFromBeforeARevocationIsNotCommittedWhenThePartitionComesBack() throws Exception {
    String topic = "back-" + System.nanoTime();
    String group = "g-" + topic;
    broker.createTopic(topic, 2);
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < 200; i++) {
        producer.send(new ProducerRecord<>(topic, i % 2, null, String.valueOf(i).getBytes()));
      }
    }
    KafkaSourceImpl a = (KafkaSourceImpl) Kafka.source(broker.sourceConfig(topic, group).build());
    a.open(new PipelineContext("back", new SimpleMeterRegistry(), CheckpointStore.inMemory()));
    List<Envelope<byte[]>> delivered = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (delivered.size() < 200 && System.nanoTime() < deadline) {
      delivered.addAll(a.poll(1000, Duration.ofMillis(200)));
    }
    Position beforeRevocation = delivered.get(delivered.size() - 1).position(); // 100 and 100

    // B joins, takes one partition, commits 30 on it and leaves: the partition comes back to A.
    TopicPartition moved;
    try (KafkaConsumer<byte[], byte[]> b =
        broker.consumer(
            group,
            Map.of("partition.assignment.strategy", CooperativeStickyAssignor.class.getName()))) {
      b.subscribe(Set.of(topic));
      while ((a.assignment().size() != 1 || b.assignment().size() != 1)
          && System.nanoTime() < deadline) {
        a.poll(1000, Duration.ofMillis(50));
        b.poll(Duration.ofMillis(50));
      }
      moved = b.assignment().iterator().next();
      b.commitSync(Map.of(moved, new OffsetAndMetadata(30)));
    }
    List<Envelope<byte[]>> reRead = new ArrayList<>();
    while (a.assignment().size() != 2 && System.nanoTime() < deadline) {
      reRead.addAll(a.poll(1000, Duration.ofMillis(100)));
    }
    TopicPartition kept = new TopicPartition(topic, 1 - moved.partition());
    a.commit(beforeRevocation);
    Map<TopicPartition, OffsetAndMetadata> afterStaleCommit = committedOffsets(group);
    while (reRead.size() < 70 && System.nanoTime() < deadline) {
      reRead.addAll(a.poll(1000, Duration.ofMillis(100)));
    }
    a.commit(reRead.get(reRead.size() - 1).position());
    Map<TopicPartition, OffsetAndMetadata> afterFreshCommit = committedOffsets(group);
    a.close();

    assertThat(afterStaleCommit.get(moved).offset()).isEqualTo(30); // not 100
    assertThat(afterStaleCommit.get(kept).offset()).isEqualTo(100);
    assertThat(reRead)
        .extracting(e -> ((KafkaPosition) e.position()).offset())
        .containsExactlyElementsOf(LongStream.range(30, 100).boxed().toList());
    assertThat(afterFreshCommit.get(moved).offset()).isEqualTo(100);
  }

  @Test
  void theEnvelopeKeyIsTheKafkaKeyAsUtf8AndTheEventTimeTheRecordTimestamp() throws Exception {
    String topic = "envelope-" + System.nanoTime();
    broker.createTopic(topic, 1);
    long timestamp = Instant.parse("2024-02-29T12:34:56.789Z").toEpochMilli();
    String key = "Grüße-日本-\uD83D\uDE00";
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      producer.send(
          new ProducerRecord<>(
              topic, 0, timestamp, key.getBytes(StandardCharsets.UTF_8), "a".getBytes()));
      producer.send(new ProducerRecord<>(topic, 0, timestamp + 1, null, "b".getBytes()));
    }
    TestSink<byte[]> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(
                Kafka.source(broker.sourceConfig(topic, "g-" + topic).untilCaughtUp().build()))
            .to(sink)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.received()).isEqualTo(2);
    List<Envelope<byte[]>> out = sink.envelopes();
    assertThat(out.get(0).key()).isEqualTo(key);
    assertThat(out.get(0).eventTime()).isEqualTo(Instant.ofEpochMilli(timestamp));
    assertThat(out.get(1).key()).isInstanceOf(PartitionKey.class).hasToString(topic + "-0");
    assertThat(out.get(1).eventTime()).isEqualTo(Instant.ofEpochMilli(timestamp + 1));
  }

  private static KafkaSourceConfig config(String topic, String group) {
    return broker.sourceConfig(topic, group).build();
  }

  private static Pipeline pipeline(
      KillableSource<byte[]> source, GateSink<byte[]> sink, int workers, int queue, int batch) {
    return Pipeline.from(source)
        .to(sink)
        .workers(workers)
        .queueCapacity(queue, 64L * 1024 * 1024)
        .batch(BatchPolicy.ofRecords(batch))
        .commitInterval(Duration.ofMinutes(10))
        .build();
  }

  private static void produceValues(String topic, int n) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>(topic, 0, null, String.valueOf(i).getBytes()));
      }
      producer.flush();
    }
  }

  private static Long committed(String group, String topic) throws Exception {
    OffsetAndMetadata o = committedOffsets(group).get(new TopicPartition(topic, 0));
    return o == null ? null : o.offset();
  }

  private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group)
      throws Exception {
    return broker.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
  }

  private static Set<Long> offsets(List<Position> positions) {
    return positions.stream()
        .map(p -> ((KafkaPosition) p).offset())
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static void await(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      Thread.sleep(20);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean ok() throws Exception;
  }
}
