package dev.collect.eventstore.internal;

import dev.collect.core.MetricNames;
import dev.collect.eventstore.FileEventStore;
import dev.collect.eventstore.RecoveryReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Counts what an open cut, so that a torn tail or a repair shows on a dashboard, not only a log.
 */
final class RecoveryMeters {
  private RecoveryMeters() {}

  static void record(MeterRegistry registry, Path directory, RecoveryReport report) {
    String store = String.valueOf(directory.getFileName());
    for (RecoveryReport.Cut cut : report.cuts()) {
      String reason = cut.kind().name().toLowerCase(Locale.ROOT);
      counter(registry, FileEventStore.RECOVERY_CUTS, store, reason).increment();
      counter(registry, FileEventStore.RECOVERY_CUT_BYTES, store, reason)
          .increment(Math.max(0, cut.bytes()));
      counter(registry, FileEventStore.RECOVERY_CUT_EVENTS, store, reason)
          .increment(Math.max(0, cut.events()));
    }
  }

  private static Counter counter(MeterRegistry registry, String name, String store, String reason) {
    return Counter.builder(name)
        .tag("store", store)
        .tag(MetricNames.TAG_REASON, reason)
        .register(registry);
  }
}
