package dev.collect.core.internal.runtime;

import dev.collect.core.Position;
import java.util.ArrayDeque;

/**
 * Knows which source position may be committed: the last position of the longest run of settled
 * tickets from the oldest one on, however out of order the workers finish. Called once per batch,
 * never per record, so a plain lock is cheap here.
 */
final class SettlementTracker {
  private final ArrayDeque<Ticket> open = new ArrayDeque<>();
  private long nextSequence;
  private Position committable;
  private long settledThrough = -1;

  synchronized Ticket open(Position lastPosition, int records) {
    Ticket ticket = new Ticket(nextSequence++, lastPosition, records, this);
    open.addLast(ticket);
    return ticket;
  }

  synchronized void settled(Ticket ticket) {
    ticket.settled = true;
    while (!open.isEmpty() && open.peekFirst().settled) {
      Ticket head = open.pollFirst();
      if (head.lastPosition != null) {
        committable = head.lastPosition;
      }
      settledThrough = head.sequence;
    }
  }

  /** The newest position that may be committed, or null. */
  synchronized Position committable() {
    return committable;
  }

  /** The sequence of the newest ticket up to which everything is settled, or -1. */
  synchronized long settledThrough() {
    return settledThrough;
  }

  /** The sequence the next ticket will get. */
  synchronized long nextSequence() {
    return nextSequence;
  }
}
