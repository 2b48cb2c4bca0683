package dev.collect.core.internal.runtime;

import dev.collect.core.Envelope;
import dev.collect.core.RunReport.Quality;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The data-quality score: the share of validated records that were valid, with, on a sample of one
 * validated record in {@link Quality#SAMPLE_EVERY}, the null rate of each top-level field (record
 * components or map entries) and the event-time lag (ingest time minus event time).
 */
final class QualityTracker {
  private final LongAdder validated = new LongAdder();
  private final LongAdder invalid = new LongAdder();
  private final Map<Class<?>, RecordComponent[]> components = new ConcurrentHashMap<>();
  private final Map<String, long[]> nullCounts = new TreeMap<>();
  private long sampled;
  private long lagSamples;
  private long lagMillisSum;

  /** Adds one worker's counts for a batch. */
  void counted(long validatedRecords, long invalidRecords) {
    if (validatedRecords != 0) {
      validated.add(validatedRecords);
    }
    if (invalidRecords != 0) {
      invalid.add(invalidRecords);
    }
  }

  /** Inspects one sampled record. */
  void sample(Envelope<?> record) {
    Object value = record.value();
    Map<String, Boolean> isNull = new TreeMap<>();
    if (value instanceof Record r) {
      for (RecordComponent c :
          components.computeIfAbsent(r.getClass(), Class::getRecordComponents)) {
        try {
          isNull.put(c.getName(), c.getAccessor().invoke(r) == null);
        } catch (ReflectiveOperationException | RuntimeException e) {
          // An inaccessible accessor is not a quality problem: skip the field.
        }
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> isNull.put(String.valueOf(k), v == null));
    }
    Instant eventTime = record.eventTime();
    synchronized (this) {
      sampled++;
      isNull.forEach(
          (field, nul) -> {
            long[] counts = nullCounts.computeIfAbsent(field, f -> new long[1]);
            if (nul) {
              counts[0]++;
            }
          });
      if (eventTime != null) {
        lagSamples++;
        lagMillisSum += Duration.between(eventTime, record.ingestTime()).toMillis();
      }
    }
  }

  double score() {
    long v = validated.sum();
    return v == 0 ? 1.0 : (double) (v - invalid.sum()) / v;
  }

  synchronized Quality snapshot() {
    Map<String, Double> rates = new TreeMap<>();
    long n = Math.max(1, sampled);
    nullCounts.forEach((field, counts) -> rates.put(field, (double) counts[0] / n));
    Duration lag = lagSamples == 0 ? Duration.ZERO : Duration.ofMillis(lagMillisSum / lagSamples);
    return new Quality(score(), validated.sum(), invalid.sum(), rates, lag, lagSamples);
  }
}
