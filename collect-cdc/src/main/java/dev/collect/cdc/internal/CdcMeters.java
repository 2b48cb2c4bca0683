package dev.collect.cdc.internal;

import dev.collect.cdc.CdcMetricNames;
import dev.collect.cdc.ChangeEvent;
import dev.collect.cdc.Operation;
import dev.collect.cdc.TableId;
import dev.collect.core.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The source's meters, created once per operation and table and kept. {@link #record} is called
 * from the engine's thread only.
 */
final class CdcMeters {
  private final MeterRegistry registry;
  private final Tags tags;
  private static final TableId NO_TABLE = new TableId(null, null, "");

  // Called from the engine's thread only; counters by table, then by operation ordinal.
  private final Map<TableId, Counter[]> eventCounters = new java.util.HashMap<>();
  private final Map<String, Counter> snapshotRows = new ConcurrentHashMap<>();
  private final Timer captureLag;
  private final AtomicInteger snapshotRunning = new AtomicInteger();

  CdcMeters(MeterRegistry registry, String pipeline, String source) {
    this.registry = registry;
    this.tags = Tags.of(MetricNames.TAG_PIPELINE, pipeline, MetricNames.TAG_SOURCE, source);
    this.captureLag =
        Timer.builder(CdcMetricNames.CAPTURE_LAG)
            .description("Database commit to the event entering the pipeline")
            .tags(tags)
            .register(registry);
    Gauge.builder(CdcMetricNames.SNAPSHOT_RUNNING, snapshotRunning, AtomicInteger::get)
        .description("1 while a snapshot is being read")
        .tags(tags)
        .register(registry);
  }

  /**
   * A gauge of {@code value}, held strongly: the registry holds a gauge's object weakly, and a
   * method reference held nowhere else would be collected, leaving the gauge at NaN.
   */
  void gauge(String name, String description, String unit, LongSupplier value) {
    Gauge.builder(name, value, v -> v.getAsLong())
        .strongReference(true)
        .description(description)
        .baseUnit(unit)
        .tags(tags)
        .register(registry);
  }

  private Counter[] countersOf(TableId id) {
    return eventCounters.computeIfAbsent(
        id == null ? NO_TABLE : id, k -> new Counter[Operation.values().length]);
  }

  void record(ChangeEvent event, boolean snapshotContinues) {
    Counter[] byOperation = countersOf(event.table());
    int op = event.operation().ordinal();
    Counter counter = byOperation[op];
    if (counter == null) {
      String table = event.table() == null ? "" : event.table().toString();
      counter =
          Counter.builder(CdcMetricNames.EVENTS)
              .description("Change events captured")
              .tags(tags)
              .tag(CdcMetricNames.TAG_OPERATION, event.operation().name().toLowerCase(Locale.ROOT))
              .tag(CdcMetricNames.TAG_TABLE, table)
              .register(registry);
      byOperation[op] = counter;
    }
    counter.increment();
    if (event.operation() == Operation.READ) {
      String table = event.table() == null ? "" : event.table().toString();
      snapshotRows
          .computeIfAbsent(
              table,
              k ->
                  Counter.builder(CdcMetricNames.SNAPSHOT_ROWS)
                      .description("Rows read by the snapshot")
                      .tags(tags)
                      .tag(CdcMetricNames.TAG_TABLE, table)
                      .register(registry))
          .increment();
    }
    if (event.operation() != Operation.SCHEMA_CHANGE) {
      snapshotRunning.set(snapshotContinues ? 1 : 0);
    }
    if (!event.source().snapshot() && event.source().commitTime() != null) {
      long lagMillis = System.currentTimeMillis() - event.source().commitTime().toEpochMilli();
      captureLag.record(Duration.ofMillis(Math.max(0, lagMillis)).toNanos(), TimeUnit.NANOSECONDS);
    }
  }
}
