package dev.collect.cdc.internal;

import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayDeque;
import java.util.function.Predicate;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The records handed to the pipeline and not yet settled, in engine order. Settling records tells
 * the engine that its batch is processed up to the last of them, so their offsets may be flushed.
 * Used from the reader thread only.
 */
final class Ledger {
  private final ArrayDeque<Item> pending = new ArrayDeque<>();
  private RecordCommitter<RecordChangeEvent<SourceRecord>> committer;

  void add(Item item) {
    pending.addLast(item);
  }

  /** Settles every item up to and including {@code sequence}; returns how many records. */
  int settleThrough(long sequence) throws InterruptedException {
    return settleWhile(item -> item.sequence <= sequence);
  }

  /**
   * Settles the items at the head that the pipeline never saw (heartbeats): everything before them
   * is settled already, so their offsets are safe to commit.
   */
  int settleLeadingInternal() throws InterruptedException {
    return settleWhile(item -> !item.visible());
  }

  /**
   * Settles the items at the head while {@code settles} holds: marks each engine batch processed up
   * to the last of them that has an offset. Returns how many had one.
   */
  private int settleWhile(Predicate<Item> settles) throws InterruptedException {
    Item last = null;
    int settled = 0;
    while (!pending.isEmpty() && settles.test(pending.peekFirst())) {
      Item item = pending.pollFirst();
      if (item.offset == null) {
        continue;
      }
      if (last != null && last.batch != item.batch) {
        last.batch.markProcessed(last.offset);
      }
      last = item;
      settled++;
    }
    if (last != null) {
      last.batch.markProcessed(last.offset);
      committer = last.batch.committer();
    }
    return settled;
  }

  /** The committer of the last settled record, which flushes the settled offsets; null if none. */
  RecordCommitter<RecordChangeEvent<SourceRecord>> committer() {
    return committer;
  }

  int size() {
    return pending.size();
  }
}
