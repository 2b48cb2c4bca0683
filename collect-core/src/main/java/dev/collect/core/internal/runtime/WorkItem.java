package dev.collect.core.internal.runtime;

import dev.collect.core.DeadLetter;
import dev.collect.core.Envelope;
import java.util.List;

/**
 * A part of a polled batch for one worker, or the end-of-input marker. When steps ran before the
 * routing point, {@code origins} holds each record's source record and {@code deadLetters} the
 * failures of those steps, which the worker writes before it settles the ticket.
 */
record WorkItem(
    Ticket ticket,
    List<Envelope<?>> records,
    List<Envelope<?>> origins,
    List<DeadLetter> deadLetters,
    long bytes) {
  static final WorkItem END = new WorkItem(null, List.of(), 0);

  WorkItem(Ticket ticket, List<Envelope<?>> records, long bytes) {
    this(ticket, records, null, List.of(), bytes);
  }
}
