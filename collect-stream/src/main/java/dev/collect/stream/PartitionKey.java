package dev.collect.stream;

import dev.collect.core.spi.LaneKey;
import java.util.Objects;

/**
 * The ordering key of a Kafka record that has no key of its own: its topic and partition, so such
 * records keep their partition's order. It is a {@link LaneKey}: the partitions of a topic go to
 * consecutive lanes, so with 4 partitions and 2 workers each worker takes exactly 2 partitions
 * rather than whatever a hash of four keys happens to give. Its text form is {@code
 * topic-partition}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param topic the record's topic
 * @param partition the record's partition
 */
public record PartitionKey(String topic, int partition) implements LaneKey {

  public PartitionKey {
    Objects.requireNonNull(topic, "topic");
  }

  /** Consecutive for the partitions of one topic. */
  @Override
  public int lane() {
    return 31 * topic.hashCode() + partition;
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
