package dev.collect.stream.internal;

import dev.collect.stream.KafkaPosition;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of one poll batch in delivery order, on top of an immutable snapshot of what was
 * delivered before it. Positions of the batch share it, so a batch costs one snapshot, not one map
 * per record; the per-partition map of a position is computed only when it is committed.
 */
final class Frontier {

  /** The next offset to read and the assignment generation it belongs to. */
  record Mark(long next, long generation) {}

  private final Map<TopicPartition, Mark> base;
  private final TopicPartition[] partitions;
  private final long[] offsets;
  private final long[] generations;

  Frontier(
      Map<TopicPartition, Mark> base,
      TopicPartition[] partitions,
      long[] offsets,
      long[] generations) {
    this.base = base;
    this.partitions = partitions;
    this.offsets = offsets;
    this.generations = generations;
  }

  KafkaPosition position(int index) {
    return new FrontierPosition(this, index);
  }

  /** The marks through the record at {@code index}. */
  Map<TopicPartition, Mark> marksThrough(int index) {
    Map<TopicPartition, Mark> marks = new HashMap<>(base);
    for (int i = 0; i <= index; i++) {
      marks.put(partitions[i], new Mark(offsets[i] + 1, generations[i]));
    }
    return marks;
  }

  /** A position inside a frontier. */
  static final class FrontierPosition implements KafkaPosition {
    private final Frontier frontier;
    private final int index;

    FrontierPosition(Frontier frontier, int index) {
      this.frontier = frontier;
      this.index = index;
    }

    Map<TopicPartition, Mark> marks() {
      return frontier.marksThrough(index);
    }

    @Override
    public String topic() {
      return frontier.partitions[index].topic();
    }

    @Override
    public int partition() {
      return frontier.partitions[index].partition();
    }

    @Override
    public long offset() {
      return frontier.offsets[index];
    }

    @Override
    public Map<TopicPartition, Long> nextOffsets() {
      Map<TopicPartition, Long> out = new HashMap<>();
      marks().forEach((tp, mark) -> out.put(tp, mark.next()));
      return Map.copyOf(out);
    }

    @Override
    public String toString() {
      return "KafkaPosition{" + topic() + "-" + partition() + "@" + offset() + "}";
    }
  }
}
