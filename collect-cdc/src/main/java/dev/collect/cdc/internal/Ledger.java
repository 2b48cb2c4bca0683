package dev.collect.cdc.internal;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayDeque;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The records handed to the pipeline and not yet settled, in engine order. Settling a record tells
 * the engine it is processed, so its offset may be flushed. Used from the reader thread only.
 */
final class Ledger {
  private final ArrayDeque<Item> pending = new ArrayDeque<>();
  private RecordCommitter<RecordChangeEvent<SourceRecord>> committer;

  void add(Item item) {
    pending.addLast(item);
  }

  /** Settles every item up to and including {@code sequence}; returns how many records. */
  int settleThrough(long sequence) throws InterruptedException {
    int settled = 0;
    while (!pending.isEmpty() && pending.peekFirst().sequence() <= sequence) {
      settled += settle(pending.pollFirst());
    }
    return settled;
  }

  /**
   * Settles the items at the head that the pipeline never saw (heartbeats): everything before them
   * is settled already, so their offsets are safe to commit.
   */
  int settleLeadingInternal() throws InterruptedException {
    int settled = 0;
    while (!pending.isEmpty() && pending.peekFirst().envelope() == null) {
      settled += settle(pending.pollFirst());
    }
    return settled;
  }

  private int settle(Item item) throws InterruptedException {
    if (item.record() == null) {
      return 0;
    }
    if (item.resumeAt() == null) {
      item.committer().markProcessed(item.record());
    } else {
      DebeziumEngine.Offsets offsets = item.committer().buildOffsets();
      item.resumeAt().forEach(offsets::set);
      item.committer().markProcessed(item.record(), offsets);
    }
    committer = item.committer();
    return 1;
  }

  /** The committer of the last settled record, which flushes the settled offsets; null if none. */
  RecordCommitter<RecordChangeEvent<SourceRecord>> committer() {
    return committer;
  }

  int size() {
    return pending.size();
  }
}
