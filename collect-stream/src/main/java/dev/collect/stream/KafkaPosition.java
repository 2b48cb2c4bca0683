package dev.collect.stream;

import dev.collect.core.Position;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a Kafka record was read: its topic, partition and offset, plus the next offset to read for
 * every partition the source had delivered up to and including this record. Committing a position
 * commits exactly those per-partition next offsets (for partitions the consumer still owns), which
 * is why a single position can stand for records from several partitions.
 *
 * <p>Immutable and thread-safe.
 */
public interface KafkaPosition extends Position {

  /** The record's topic. */
  String topic();

  /** The record's partition. */
  int partition();

  /** The record's offset. */
  long offset();

  /**
   * For every partition delivered up to and including this record, the offset of the next record to
   * read: what a commit of this position stores.
   */
  Map<TopicPartition, Long> nextOffsets();

  @Override
  default Map<String, Object> describe() {
    return Map.of("topic", topic(), "partition", partition(), "offset", offset());
  }
}
