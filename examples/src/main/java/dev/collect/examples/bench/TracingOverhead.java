package dev.collect.examples.bench;

import dev.collect.core.BatchPolicy;
import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineBuilder;
import dev.collect.core.Position;
import dev.collect.core.Sink;
import dev.collect.core.TraceHeaders;
import dev.collect.core.Validator;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of observations: the same simple pipeline (a collector, a validator, a map, a discarding
 * sink; every record with a {@code traceparent} header) without observations, and with an {@link
 * ObservationRegistry} whose one handler accepts every context, so that every observation is
 * created, started, scoped and stopped. Alternating rounds; prints the median records/s of each and
 * their ratio. A tracer behind the registry (Brave, OpenTelemetry) adds its own span cost on top.
 */
public final class TracingOverhead {
  private TracingOverhead() {}

  public static void main(String[] args) {
    int records = 1_000_000;
    int rounds = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> {
          System.out.println(
              "Usage: TracingOverhead [--records N, default 1000000] [--rounds N, default 5]");
          return;
        }
      }
    }
    List<Envelope<Long>> prepared = new ArrayList<>(records);
    Instant now = Instant.now();
    Map<String, String> headers =
        Map.of(TraceHeaders.TRACEPARENT, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    for (long i = 0; i < records; i++) {
      prepared.add(
          Envelope.builder(i)
              .position(Position.sequence(i))
              .ingestTime(now)
              .headers(headers)
              .build());
    }
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new AcceptAll());
    double[] off = new double[rounds];
    double[] on = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      off[r] = run(prepared, null);
      on[r] = run(prepared, registry);
      System.out.printf(Locale.ROOT, "round %d: off %,.0f/s, on %,.0f/s%n", r + 1, off[r], on[r]);
    }
    double offMedian = median(off);
    double onMedian = median(on);
    System.out.printf(
        Locale.ROOT,
        "median: off %,.0f records/s, on %,.0f records/s, on/off %.3f (cost %.1f%%)%n",
        offMedian,
        onMedian,
        onMedian / offMedian,
        100 * (1 - onMedian / offMedian));
  }

  private static double run(List<Envelope<Long>> prepared, ObservationRegistry registry) {
    PipelineBuilder builder =
        Pipeline.from(new RuntimeBenchmark.PreparedSource(prepared))
            .collect(Collector.<Long, Long>map(v -> v))
            .validate(Validator.<Long>rule("value", "negative", v -> v >= 0))
            .map(v -> v + 1)
            .to(Sink.<Long>discard())
            .batch(BatchPolicy.ofRecords(1024));
    if (registry != null) {
      builder.observations(registry);
    }
    long start = System.nanoTime();
    builder.build().run();
    return prepared.size() / ((System.nanoTime() - start) / 1e9);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Accepts every context and does nothing: the cost measured is the runtime's own. */
  private static final class AcceptAll implements ObservationHandler<Observation.Context> {
    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }
}
