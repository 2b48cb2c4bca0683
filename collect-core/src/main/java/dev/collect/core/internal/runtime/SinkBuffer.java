package dev.collect.core.internal.runtime;

import dev.collect.core.Envelope;
import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's records waiting for the sinks, each with the source record it came from (a dead letter
 * carries the original input, not the half-transformed value).
 */
final class SinkBuffer {
  final List<Envelope<?>> records;
  final List<Envelope<?>> origins;

  /** Null without observations; else each record's observation (null at the end of input). */
  final List<Observation> observations;

  long bytes;

  SinkBuffer(int capacity, boolean observed) {
    records = new ArrayList<>(capacity);
    origins = new ArrayList<>(capacity);
    observations = observed ? new ArrayList<>(capacity) : null;
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
    if (observations != null) {
      observations.clear();
    }
    bytes = 0;
  }
}
