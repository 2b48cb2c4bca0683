package dev.collect.stream.internal;

import dev.collect.core.Envelope;
import dev.collect.core.MetricNames;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import dev.collect.stream.KafkaSourceConfig;
import dev.collect.stream.PartitionKey;
import io.micrometer.core.instrument.Gauge;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group member that hands records to the pipeline and commits, per partition, only the
 * offsets the pipeline reports as settled. Used from the reader thread only, like the consumer.
 *
 * <p>Backpressure: records the pipeline has not taken yet wait in per-partition buffers; a
 * partition whose buffer reaches the pause threshold is paused and resumed once drained, so the
 * buffers stay bounded while the consumer keeps its group membership by polling.
 *
 * <p>Rebalances: when partitions are revoked the settled offsets known for them are committed,
 * their buffered records are dropped (the next owner reads them from the committed offset) and
 * positions still in flight for them are never committed by this member, even if the partition
 * comes back (assignment generations tell old positions from new ones).
 */
public final class KafkaSourceImpl implements Source<byte[]>, ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceImpl.class);

  private final KafkaSourceConfig config;
  private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers =
      new LinkedHashMap<>();
  private final Map<TopicPartition, Long> generations = new HashMap<>();
  private final Map<TopicPartition, Frontier.Mark> delivered = new HashMap<>();
  private final Map<TopicPartition, Frontier.Mark> settled = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final Set<TopicPartition> pausedByUs = new HashSet<>();
  private final AtomicLong lag = new AtomicLong();
  private final Map<TopicPartition, PartitionKey> partitionKeys = new HashMap<>();

  /** With untilCaughtUp: partitions not yet consumed up to their end offset at open. */
  private final Map<TopicPartition, Long> catchUpTargets = new HashMap<>();

  /** With untilCaughtUp: every partition's end offset at open; records from there on are left. */
  private final Map<TopicPartition, Long> endsAtOpen = new HashMap<>();

  private long nextGroupCheckNanos;
  private boolean caughtUp;
  private KafkaConsumer<byte[], byte[]> consumer;
  private long nextGeneration = 1;
  private boolean commitBehind;
  private int buffered;

  public KafkaSourceImpl(KafkaSourceConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void open(PipelineContext context) {
    Properties props = new Properties();
    props.putAll(config.properties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.autoOffsetReset());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(config.maxPollRecords()));
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "collect-" + context.pipeline());
    // Cooperative rebalancing moves only the partitions that change owner; the others keep going.
    props.putIfAbsent(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    if (config.topicPattern() != null) {
      consumer.subscribe(config.topicPattern(), this);
    } else {
      consumer.subscribe(config.topics(), this);
    }
    if (config.untilCaughtUp()) {
      recordCatchUpTargets();
    }
    Gauge.builder(MetricNames.SOURCE_LAG, lag, AtomicLong::get)
        .description("Records in the assigned partitions not yet read by this consumer")
        .baseUnit("records")
        .tags(MetricNames.TAG_PIPELINE, context.pipeline(), MetricNames.TAG_SOURCE, name())
        .register(context.meterRegistry());
    LOG.info("kafka source '{}' subscribed in group '{}'", name(), config.groupId());
  }

  @Override
  public List<Envelope<byte[]>> poll(int maxRecords, Duration timeout) {
    // Polling also when records are buffered keeps the membership alive; paused partitions fetch
    // nothing, so the buffers do not grow past the threshold.
    if (commitBehind) {
      retrySettledCommits();
    }
    ConsumerRecords<byte[], byte[]> records = consumer.poll(buffered > 0 ? Duration.ZERO : timeout);
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> list = beforeEndAtOpen(tp, records.records(tp));
      if (list.isEmpty()) {
        continue;
      }
      buffers.computeIfAbsent(tp, k -> new ArrayDeque<>()).addAll(list);
      buffered += list.size();
    }
    List<Envelope<byte[]>> batch = take(maxRecords);
    adjustPauses();
    updateLag();
    return batch;
  }

  /**
   * With {@code untilCaughtUp}: only the records before the partition's end offset at open. Those
   * produced after the open are not handed on, so not committed: the next run reads them.
   */
  private List<ConsumerRecord<byte[], byte[]>> beforeEndAtOpen(
      TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> list) {
    if (!config.untilCaughtUp()) {
      return list;
    }
    long end = endsAtOpen.getOrDefault(tp, 0L); // a partition unknown at open was empty then
    int n = 0;
    while (n < list.size() && list.get(n).offset() < end) {
      n++;
    }
    return n == list.size() ? list : list.subList(0, n);
  }

  private List<Envelope<byte[]>> take(int maxRecords) {
    int n = Math.min(maxRecords, buffered);
    if (n == 0) {
      return List.of();
    }
    TopicPartition[] partitions = new TopicPartition[n];
    long[] offsets = new long[n];
    long[] gens = new long[n];
    List<ConsumerRecord<byte[], byte[]>> taken = new ArrayList<>(n);
    Iterator<Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>>> it =
        buffers.entrySet().iterator();
    while (taken.size() < n && it.hasNext()) {
      Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> entry = it.next();
      ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = entry.getValue();
      long gen = generations.getOrDefault(entry.getKey(), 0L);
      while (taken.size() < n && !queue.isEmpty()) {
        int i = taken.size();
        ConsumerRecord<byte[], byte[]> record = queue.pollFirst();
        taken.add(record);
        partitions[i] = entry.getKey();
        offsets[i] = record.offset();
        gens[i] = gen;
      }
      if (queue.isEmpty()) {
        it.remove();
      }
    }
    buffered -= n;
    Frontier frontier = new Frontier(Map.copyOf(delivered), partitions, offsets, gens);
    List<Envelope<byte[]>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ConsumerRecord<byte[], byte[]> record = taken.get(i);
      delivered.put(partitions[i], new Frontier.Mark(offsets[i] + 1, gens[i]));
      out.add(envelope(record, frontier.position(i)));
    }
    return out;
  }

  private Envelope<byte[]> envelope(ConsumerRecord<byte[], byte[]> record, Position position) {
    Map<String, String> headers = Map.of();
    if (record.headers().iterator().hasNext()) {
      headers = new HashMap<>();
      for (Header h : record.headers()) {
        headers.put(
            h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    // Records with equal Kafka keys keep their order; keyless records keep their partition's.
    Object key =
        record.key() == null
            ? partitionKeys.computeIfAbsent(
                new TopicPartition(record.topic(), record.partition()),
                tp -> new PartitionKey(tp.topic(), tp.partition()))
            : new String(record.key(), StandardCharsets.UTF_8);
    return Envelope.builder(record.value())
        .key(key)
        .eventTime(record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null)
        .headers(headers)
        .source(config.name())
        .position(position)
        .raw(record.value())
        .build();
  }

  /** The end offsets of every partition of the subscribed topics, now. */
  private void recordCatchUpTargets() {
    List<TopicPartition> partitions = new ArrayList<>();
    Map<String, List<PartitionInfo>> topics =
        config.topicPattern() != null ? consumer.listTopics(config.commitTimeout()) : Map.of();
    List<String> names =
        config.topicPattern() != null
            ? topics.keySet().stream()
                .filter(t -> config.topicPattern().matcher(t).matches())
                .sorted()
                .toList()
            : config.topics();
    for (String topic : names) {
      List<PartitionInfo> infos =
          config.topicPattern() != null
              ? topics.get(topic)
              : consumer.partitionsFor(topic, config.commitTimeout());
      for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
    }
    consumer
        .endOffsets(partitions, config.commitTimeout())
        .forEach(
            (tp, end) -> {
              endsAtOpen.put(tp, end);
              if (end > 0) {
                catchUpTargets.put(tp, end);
              }
            });
    LOG.info(
        "kafka source '{}': consuming until caught up with {} partition(s)",
        name(),
        partitions.size());
  }

  /**
   * With {@code untilCaughtUp}: true once every partition was read up to its end offset at open, by
   * this member (nothing of it buffered) or, for partitions another member owns, as the group's
   * committed offsets show. The runtime asks only after a poll that returned nothing.
   */
  @Override
  public boolean isFinished() {
    if (!config.untilCaughtUp() || caughtUp) {
      return caughtUp;
    }
    Set<TopicPartition> assignment = consumer.assignment();
    Iterator<Map.Entry<TopicPartition, Long>> it = catchUpTargets.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<TopicPartition, Long> target = it.next();
      TopicPartition tp = target.getKey();
      if (assignment.contains(tp)
          && !buffers.containsKey(tp)
          && consumer.position(tp, config.commitTimeout()) >= target.getValue()) {
        it.remove();
      }
    }
    long now = System.nanoTime();
    if (!catchUpTargets.isEmpty() && now - nextGroupCheckNanos >= 0) {
      // Partitions other members own: their committed offsets tell (one request, at most 5 a s).
      nextGroupCheckNanos = now + 200_000_000L;
      Map<TopicPartition, OffsetAndMetadata> groupOffsets =
          consumer.committed(catchUpTargets.keySet(), config.commitTimeout());
      groupOffsets.forEach(
          (tp, offset) -> {
            if (offset != null && offset.offset() >= catchUpTargets.get(tp)) {
              catchUpTargets.remove(tp);
            }
          });
    }
    caughtUp = catchUpTargets.isEmpty();
    if (caughtUp) {
      LOG.info("kafka source '{}': caught up with the end offsets at start", name());
    }
    return caughtUp;
  }

  private void adjustPauses() {
    Set<TopicPartition> assignment = consumer.assignment();
    List<TopicPartition> toPause = new ArrayList<>();
    List<TopicPartition> toResume = new ArrayList<>();
    for (TopicPartition tp : assignment) {
      ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = buffers.get(tp);
      int size = queue == null ? 0 : queue.size();
      if (size >= config.pauseThreshold() && pausedByUs.add(tp)) {
        toPause.add(tp);
      } else if (size == 0 && pausedByUs.remove(tp)) {
        toResume.add(tp);
      }
    }
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
    }
  }

  private void updateLag() {
    long total = 0;
    for (TopicPartition tp : consumer.assignment()) {
      OptionalLong partitionLag = consumer.currentLag(tp);
      if (partitionLag.isPresent()) {
        total += partitionLag.getAsLong();
      }
    }
    lag.set(total + buffered);
  }

  @Override
  public void commit(Position position) {
    if (!(position instanceof Frontier.FrontierPosition p)) {
      throw new IllegalArgumentException("not a position of this Kafka source: " + position);
    }
    Map<TopicPartition, Frontier.Mark> marks = p.marks();
    Set<TopicPartition> assignment = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    marks.forEach(
        (tp, mark) -> {
          // A position from before a partition was revoked must not move the new owner's offset.
          if (assignment.contains(tp) && mark.generation() == generations.getOrDefault(tp, -1L)) {
            settled.put(tp, mark);
            Long last = committed.get(tp);
            if (last == null || mark.next() > last) {
              offsets.put(tp, new OffsetAndMetadata(mark.next()));
            }
          }
        });
    commitOffsets(offsets);
  }

  /**
   * Commits {@code offsets}; true if stored. A failure leaves {@link #commitBehind} set: only a
   * retry of everything settled ({@link #retrySettledCommits}) clears it, because a later commit
   * that succeeds may cover other partitions only (a revocation's), and with no new records the
   * runtime does not commit again.
   */
  private boolean commitOffsets(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return true;
    }
    try {
      consumer.commitSync(offsets, config.commitTimeout());
      offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
      return true;
    } catch (RebalanceInProgressException | CommitFailedException | RetriableException e) {
      // Settled offsets stay in 'settled' and are committed again at the next poll, for the
      // partitions this member still owns; the others are re-read by their next owner
      // (duplicates, never a loss).
      if (!commitBehind) {
        LOG.warn("kafka source '{}': commit deferred: {}", name(), e.toString());
      }
      commitBehind = true;
      return false;
    }
  }

  /** Commits settled offsets that an earlier commit could not store (during a rebalance). */
  private void retrySettledCommits() {
    Set<TopicPartition> assignment = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    settled.forEach(
        (tp, mark) -> {
          Long last = committed.get(tp);
          if (assignment.contains(tp)
              && mark.generation() == generations.getOrDefault(tp, -1L)
              && (last == null || mark.next() > last)) {
            offsets.put(tp, new OffsetAndMetadata(mark.next()));
          }
        });
    if (commitOffsets(offsets)) {
      commitBehind = false;
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      Frontier.Mark mark = settled.get(tp);
      Long last = committed.get(tp);
      if (mark != null && mark.generation() == generations.getOrDefault(tp, -1L)) {
        if (last == null || mark.next() > last) {
          offsets.put(tp, new OffsetAndMetadata(mark.next()));
        }
      }
    }
    try {
      commitOffsets(offsets);
    } catch (KafkaException e) {
      LOG.warn("kafka source '{}': commit on revocation failed: {}", name(), e.toString());
    }
    drop(partitions);
    LOG.info("kafka source '{}': partitions revoked: {}", name(), partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    // Another member may own them already: committing anything now could rewind its progress.
    drop(partitions);
    LOG.warn("kafka source '{}': partitions lost: {}", name(), partitions);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      generations.put(tp, nextGeneration++);
    }
    LOG.info("kafka source '{}': partitions assigned: {}", name(), partitions);
  }

  private void drop(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = buffers.remove(tp);
      if (queue != null) {
        buffered -= queue.size();
      }
      generations.remove(tp);
      delivered.remove(tp);
      settled.remove(tp);
      committed.remove(tp);
      pausedByUs.remove(tp);
    }
  }

  /** The partitions assigned now (for tests and diagnostics). */
  public Set<TopicPartition> assignment() {
    return consumer.assignment();
  }

  /** Partitions this source paused for backpressure (for tests and diagnostics). */
  public Set<TopicPartition> pausedPartitions() {
    return Set.copyOf(pausedByUs);
  }

  /** Records fetched but not yet handed to the pipeline (for tests and diagnostics). */
  public int buffered() {
    return buffered;
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close();
    }
  }
}
