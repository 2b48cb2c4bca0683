package dev.collect.core.internal.runtime;

import dev.collect.core.Envelope;
import dev.collect.core.ErrorClassifier;
import dev.collect.core.RecordsRejectedException;
import dev.collect.core.Sink;
import dev.collect.core.Stage;
import dev.collect.core.spi.Failure;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Writes a worker's buffer to every sink in chunks of the batch size (records, and bytes of the
 * original inputs: a chunk ends once it holds the byte bound). A transient failure is retried with
 * backoff until the outage budget is spent, then the pipeline stops without committing; a failure
 * about records splits the chunk in halves until the poison records stand alone, and those are
 * dead-lettered while the rest is written in order.
 */
final class SinkWriter {
  private final List<Sink<Object>> sinks;
  private final int maxRecords;
  private final long maxBytes;
  private final Duration outageBudget;
  private final Worker worker;

  /** Null without observations. */
  private final Tracing tracing;

  /** The sink observations of the chunk being written (from index {@code spanBase}), or null. */
  private Observation[] spans;

  private int spanBase;

  /** The attempts of the range being retried. */
  private int attempts;

  @SuppressWarnings("unchecked")
  SinkWriter(
      List<Sink<?>> sinks,
      int maxRecords,
      long maxBytes,
      Duration outageBudget,
      Worker worker,
      Tracing tracing) {
    this.tracing = tracing;
    this.sinks = new ArrayList<>();
    for (Sink<?> s : sinks) {
      this.sinks.add((Sink<Object>) s);
    }
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.outageBudget = outageBudget;
    this.worker = worker;
  }

  /** Writes the buffer; returns how many records every sink accepted. */
  long write(SinkBuffer buffer) {
    List<Envelope<?>> records = buffer.records;
    List<Envelope<?>> origins = buffer.origins;
    List<Observation> observations = buffer.observations;
    // The buffer knows its bytes: under the bound (the usual case) no chunk can reach it, nor can
    // any subset kept after rejections, so chunks are cut by records without sizing each record.
    boolean cutByBytes = buffer.bytes >= maxBytes;
    BitSet rejected = new BitSet();
    for (Sink<Object> sink : sinks) {
      if (!rejected.isEmpty()) {
        List<Envelope<?>> keptRecords = new ArrayList<>();
        List<Envelope<?>> keptOrigins = new ArrayList<>();
        List<Observation> keptObservations = observations == null ? null : new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
          if (!rejected.get(i)) {
            keptRecords.add(records.get(i));
            keptOrigins.add(origins.get(i));
            if (observations != null) {
              keptObservations.add(observations.get(i));
            }
          }
        }
        records = keptRecords;
        origins = keptOrigins;
        observations = keptObservations;
        rejected.clear();
      }
      for (int from = 0, to; from < records.size(); from = to) {
        to = cutByBytes ? chunkEnd(origins, from) : Math.min(from + maxRecords, records.size());
        long start = System.nanoTime();
        if (tracing == null) {
          writeRange(sink, records, origins, from, to, rejected);
        } else {
          writeObserved(sink, records, origins, observations, from, to, rejected);
        }
        worker
            .metrics()
            .sinkLatency
            .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        worker.metrics().batchSize.record(to - from);
      }
    }
    return records.size() - rejected.cardinality();
  }

  /**
   * Where the chunk from {@code from} ends: at the batch's record bound or once it holds its bytes.
   */
  private int chunkEnd(List<Envelope<?>> origins, int from) {
    int to = from;
    long bytes = 0;
    while (to < origins.size() && to - from < maxRecords && bytes < maxBytes) {
      bytes += origins.get(to).sizeEstimate();
      to++;
    }
    return to;
  }

  /**
   * Writes a chunk inside one {@code collect.sink} observation per record, child of its record's.
   */
  private void writeObserved(
      Sink<Object> sink,
      List<Envelope<?>> records,
      List<Envelope<?>> origins,
      List<Observation> observations,
      int from,
      int to,
      BitSet rejected) {
    Observation[] chunk = new Observation[to - from];
    for (int i = from; i < to; i++) {
      Observation parent = observations.get(i); // null: the record is not observed
      chunk[i - from] = parent == null ? null : tracing.sink(sink.name(), parent, to - from);
    }
    spans = chunk;
    spanBase = from;
    try {
      writeRange(sink, records, origins, from, to, rejected);
    } catch (RuntimeException | Error e) {
      for (Observation span : chunk) {
        if (span != null) {
          span.error(e);
        }
      }
      throw e;
    } finally {
      spans = null;
      for (Observation span : chunk) {
        if (span != null) {
          span.stop();
        }
      }
    }
  }

  private void writeRange(
      Sink<Object> sink,
      List<Envelope<?>> records,
      List<Envelope<?>> origins,
      int from,
      int to,
      BitSet rejected) {
    Exception failure;
    try {
      sink.write(view(records, from, to));
      return;
    } catch (Exception e) {
      failure = e;
    }
    Instant firstFailure = null;
    int attempt = 1;
    if (!(failure instanceof RecordsRejectedException)) {
      firstFailure = worker.now();
      attempts = 1;
      try {
        worker
            .sinkRetries()
            .retryAfter(
                failure,
                n -> {
                  attempts = n;
                  sink.write(view(records, from, to));
                  return null;
                });
        return;
      } catch (FatalPipelineError | WorkerInterrupted e) {
        throw e;
      } catch (Exception e) {
        Worker.stopIfInterrupted(e);
        failure = e;
        attempt = attempts;
      }
    }
    if (failure instanceof RecordsRejectedException e) {
      for (Map.Entry<Integer, Throwable> r : e.rejected().entrySet()) {
        int index = from + r.getKey();
        if (r.getKey() < 0 || index >= to) {
          throw new FatalPipelineError(
              "sink '"
                  + sink.name()
                  + "' rejected index "
                  + r.getKey()
                  + " of a batch of "
                  + (to - from),
              e);
        }
        reject(sink, origins.get(index), r.getValue(), attempt, firstFailure, rejected, index);
      }
      return;
    }
    ErrorClassifier.Kind kind = worker.classify(failure);
    if (kind == ErrorClassifier.Kind.FATAL) {
      throw new FatalPipelineError("sink '" + sink.name() + "' failed fatally", failure);
    }
    if (kind == ErrorClassifier.Kind.TRANSIENT) {
      throw new FatalPipelineError(
          "sink '"
              + sink.name()
              + "' kept failing for longer than the outage budget of "
              + outageBudget
              + " ("
              + failure.getClass().getName()
              + "); nothing past the last settled record was committed. Fix the sink and"
              + " restart: the unsettled records are replayed",
          failure);
    }
    if (to - from == 1) {
      reject(sink, origins.get(from), failure, attempt, firstFailure, rejected, from);
      return;
    }
    int mid = (from + to) >>> 1;
    writeRange(sink, records, origins, from, mid, rejected);
    writeRange(sink, records, origins, mid, to, rejected);
  }

  private void reject(
      Sink<Object> sink,
      Envelope<?> origin,
      Throwable error,
      int attempts,
      Instant firstFailure,
      BitSet rejected,
      int index) {
    rejected.set(index);
    Failure failure =
        Failure.of(origin, sink.name(), Stage.SINK, "rejected", error)
            .attempts(false, attempts, firstFailure);
    Observation span = spans == null ? null : spans[index - spanBase];
    if (span != null) {
      // The dead letter's observation becomes a child of this record's sink observation.
      span.error(error);
      try (Observation.Scope scope = span.openScope()) {
        worker.deadLetter(failure);
      }
      return;
    }
    worker.deadLetter(failure);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Envelope<Object>> view(List<Envelope<?>> records, int from, int to) {
    // A copy, so that a sink may keep the list after the call while the buffer is reused.
    Envelope[] copy = records.subList(from, to).toArray(new Envelope[0]);
    return (List) Collections.unmodifiableList(Arrays.asList(copy));
  }
}
