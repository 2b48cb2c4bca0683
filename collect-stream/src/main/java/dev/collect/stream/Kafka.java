package dev.collect.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.collect.core.CollectException;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import dev.collect.stream.internal.KafkaDeadLetterSinkImpl;
import dev.collect.stream.internal.KafkaSinkImpl;
import dev.collect.stream.internal.KafkaSourceImpl;
import dev.collect.stream.internal.Topics;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/**
 * Kafka sources and sinks.
 *
 * <ul>
 *   <li>{@link #source}: a consumer-group member; commits per partition only offsets the pipeline
 *       settled (never auto-commit), so a crash or rebalance replays at most the uncommitted tail.
 *       Positions are {@link KafkaPosition}s; envelopes carry the Kafka key as their ordering key
 *       (or {@code topic-partition} when the record has none), the record timestamp as event time
 *       and the headers as UTF-8 text. Run several instances with one group id to share the
 *       partitions.
 *   <li>{@link #sink}: an idempotent producer with {@code acks=all}; a batch counts as written once
 *       every record was acknowledged. Not idempotent across replays: a replayed tail is written
 *       again (use keys and a compacted topic, or de-duplicate downstream).
 *   <li>{@link #deadLetterSink}: failures to a topic, original bytes as value, failure metadata in
 *       {@code __collect.errors.*} headers.
 * </ul>
 */
public final class Kafka {
  private Kafka() {}

  /** The prefix of the failure headers the dead-letter sink writes. */
  public static final String ERROR_HEADER_PREFIX = KafkaDeadLetterSinkImpl.PREFIX;

  /** A source of raw record values. */
  public static Source<byte[]> source(KafkaSourceConfig config) {
    return new KafkaSourceImpl(config);
  }

  /** A sink writing each value as {@code serializer} turns it into bytes. */
  public static <T> Sink<T> sink(KafkaSinkConfig config, RecordSerializer<? super T> serializer) {
    return new KafkaSinkImpl<>(config, serializer);
  }

  /** A sink writing raw bytes as they are. */
  public static Sink<byte[]> bytesSink(KafkaSinkConfig config) {
    return new KafkaSinkImpl<>(config, value -> value);
  }

  /** A sink writing each value as JSON (Jackson, ISO-8601 times). */
  public static <T> Sink<T> jsonSink(KafkaSinkConfig config) {
    ObjectMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    return new KafkaSinkImpl<>(config, mapper::writeValueAsBytes);
  }

  /**
   * Creates {@code topics} with {@code partitions} partitions each and the broker's default
   * replication (a topic that already exists is kept as it is), and returns once the leader of
   * every partition answers requests. Producing to a topic before then can lose records even with
   * an idempotent producer: a first batch refused because the leader is not ready yet is refused as
   * out of order on every retry once a later batch landed (KAFKA-15591), until {@code
   * delivery.timeout.ms} fails it.
   *
   * @throws CollectException if a topic cannot be created or its leaders do not answer within
   *     {@code timeout}
   */
  public static void createTopics(Admin admin, int partitions, Duration timeout, String... topics)
      throws InterruptedException {
    Topics.create(admin, partitions, timeout, topics);
  }

  /** A dead-letter sink writing to {@code config.topic()}. */
  public static DeadLetterSink deadLetterSink(KafkaSinkConfig config) {
    return new KafkaDeadLetterSinkImpl(config);
  }
}
