package dev.collect.core;

import java.util.Map;

/**
 * Where a record came from, opaque to the runtime: a file and line, a topic partition and offset, a
 * log sequence number. A source hands the position of an envelope back to {@link
 * Source#commit(Position)} once that envelope and everything the source delivered before it are
 * settled.
 *
 * <p>Implementations are immutable value objects.
 */
public interface Position {

  /**
   * The position as named fields for dead letters and logs, e.g. {@code {"file": "in.jsonl",
   * "line": 60}}. Values are strings, numbers or booleans.
   */
  Map<String, Object> describe();

  /** A position for sources that have none (in-memory lists): a sequence number. */
  static Position sequence(long sequence) {
    return new SequencePosition(sequence);
  }

  /** A position made of a plain sequence number. */
  record SequencePosition(long sequence) implements Position {
    @Override
    public Map<String, Object> describe() {
      return Map.of("sequence", sequence);
    }
  }
}
