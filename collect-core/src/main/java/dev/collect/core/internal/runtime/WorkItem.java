package dev.collect.core.internal.runtime;

import dev.collect.core.Envelope;
import java.util.List;

/** A part of a polled batch for one worker, or the end-of-input marker. */
record WorkItem(Ticket ticket, List<Envelope<?>> records, long bytes) {
  static final WorkItem END = new WorkItem(null, List.of(), 0);
}
