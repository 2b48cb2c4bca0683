package dev.collect.core.internal.runtime;

import static dev.collect.core.MetricNames.*;

import dev.collect.core.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pipeline's meters and counts, created once and kept in fields. Workers add per batch, never
 * per record. The {@link LongAdder}s are the run report's source of truth; the Micrometer counters
 * mirror them.
 */
final class PipelineMetrics {
  final LongAdder sourceRecords = new LongAdder();
  final LongAdder expansions = new LongAdder();
  final LongAdder written = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder filtered = new LongAdder();
  final LongAdder retried = new LongAdder();
  private final Map<String, LongAdder> deadLettersByReason = new ConcurrentHashMap<>();

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter receivedCounter;
  private final Counter writtenCounter;
  private final Counter filteredCounter;
  private final Map<Stage, Counter> retriedCounters = new EnumMap<>(Stage.class);
  private final Map<String, Counter> deadLetterCounters = new ConcurrentHashMap<>();
  final Timer processLatency;
  final Timer sinkLatency;
  final Timer endToEnd;
  final DistributionSummary batchSize;

  PipelineMetrics(MeterRegistry registry, String pipeline, String source) {
    this.registry = registry;
    this.tags = Tags.of(TAG_PIPELINE, pipeline);
    receivedCounter =
        Counter.builder(RECORDS_RECEIVED)
            .description("Records that entered the pipeline")
            .tags(tags.and(TAG_SOURCE, source))
            .register(registry);
    writtenCounter =
        Counter.builder(RECORDS_WRITTEN)
            .description("Records every sink accepted")
            .tags(tags)
            .register(registry);
    filteredCounter =
        Counter.builder(RECORDS_FILTERED)
            .description("Records filtered on purpose")
            .tags(tags)
            .register(registry);
    for (Stage stage : Stage.values()) {
      retriedCounters.put(
          stage,
          Counter.builder(RECORDS_RETRIED)
              .description("Retry attempts")
              .tags(tags.and(TAG_STAGE, stage.tag()))
              .register(registry));
    }
    processLatency = stageTimer("process");
    sinkLatency = stageTimer(Stage.SINK.tag());
    endToEnd =
        Timer.builder(END_TO_END_LATENCY)
            .description("Ingest to written, of the oldest record of each sink batch")
            .tags(tags)
            .publishPercentiles(0.5, 0.99)
            .distributionStatisticExpiry(Duration.ofDays(1))
            .distributionStatisticBufferLength(1)
            .register(registry);
    batchSize =
        DistributionSummary.builder(BATCH_SIZE)
            .description("Records per sink batch")
            .tags(tags)
            .register(registry);
  }

  private Timer stageTimer(String stage) {
    return Timer.builder(STAGE_LATENCY)
        .description("Time per input batch in the steps, or per sink write")
        .tags(tags.and(TAG_STAGE, stage))
        .register(registry);
  }

  void received(long n) {
    sourceRecords.add(n);
    receivedCounter.increment(n);
  }

  void worker(long expanded, long wrote, long filter) {
    if (expanded != 0) {
      expansions.add(expanded);
      receivedCounter.increment(expanded);
    }
    if (wrote != 0) {
      written.add(wrote);
      writtenCounter.increment(wrote);
    }
    if (filter != 0) {
      filtered.add(filter);
      filteredCounter.increment(filter);
    }
  }

  void retried(Stage stage) {
    retried.increment();
    retriedCounters.get(stage).increment();
  }

  void deadLettered(Stage stage, String reason) {
    deadLettered.increment();
    String key = stage.tag() + "/" + reason;
    deadLettersByReason.computeIfAbsent(key, k -> new LongAdder()).increment();
    deadLetterCounters
        .computeIfAbsent(
            key,
            k ->
                Counter.builder(RECORDS_DEAD_LETTERED)
                    .description("Records sent to the dead-letter sink")
                    .tags(tags.and(TAG_STAGE, stage.tag(), TAG_REASON, reason))
                    .register(registry))
        .increment();
  }

  Map<String, Long> deadLettersByReason() {
    Map<String, Long> out = new TreeMap<>();
    deadLettersByReason.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  Tags tags() {
    return tags;
  }
}
