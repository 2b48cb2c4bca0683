package dev.collect.core.internal.runtime;

import dev.collect.core.Position;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One polled source batch on its way through the workers. It may be split into parts for several
 * workers; it is settled when every part was written, dead-lettered or filtered.
 */
final class Ticket {
  final long sequence;
  final Position lastPosition;
  final int records;
  private final AtomicInteger openParts = new AtomicInteger();
  private final SettlementTracker tracker;
  volatile boolean settled;

  Ticket(long sequence, Position lastPosition, int records, SettlementTracker tracker) {
    this.sequence = sequence;
    this.lastPosition = lastPosition;
    this.records = records;
    this.tracker = tracker;
  }

  void parts(int parts) {
    openParts.set(parts);
  }

  /** Called by a worker once its part is settled. */
  void partSettled() {
    if (openParts.decrementAndGet() == 0) {
      tracker.settled(this);
    }
  }
}
