package dev.collect.core.internal.runtime;

import dev.collect.core.Envelope;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's records waiting for the sinks, each with the source record it came from (a dead letter
 * carries the original input, not the half-transformed value).
 */
final class SinkBuffer {
  final List<Envelope<?>> records;
  final List<Envelope<?>> origins;
  long bytes;

  SinkBuffer(int capacity) {
    records = new ArrayList<>(capacity);
    origins = new ArrayList<>(capacity);
  }

  void add(Envelope<?> record, Envelope<?> origin) {
    records.add(record);
    origins.add(origin);
    bytes += origin.sizeEstimate();
  }

  int size() {
    return records.size();
  }

  void clear() {
    records.clear();
    origins.clear();
    bytes = 0;
  }
}
