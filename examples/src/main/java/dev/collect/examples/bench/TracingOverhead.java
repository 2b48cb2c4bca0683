package dev.collect.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.collect.core.BatchPolicy;
import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineBuilder;
import dev.collect.core.Position;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.TraceHeaders;
import dev.collect.core.Validator;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of observations: the same pipeline without observations and with an {@link
 * ObservationRegistry} whose one handler accepts every context, so that every observation is
 * created, started, scoped and stopped. Alternating rounds; prints the median records/s of each and
 * their ratio. A tracer behind the registry (Brave, OpenTelemetry) adds its own span cost on top.
 *
 * <p>Two workloads: {@code trivial} (a collector, a validator and a map of numbers into a
 * discarding sink: the runtime's own cost per record, about 0.1 µs) and {@code clickstream} (the
 * benchmark workload's lines parsed with Jackson, Bean-validated and transformed with a keyed
 * pseudonym, into a discarding sink). Every record carries a {@code traceparent}; {@code --sampled
 * P} marks P % of them sampled (flags {@code 01}) and the rest not (flags {@code 00}), as an
 * upstream tracer sampling P % would.
 */
public final class TracingOverhead {
  private static final String TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0";

  private TracingOverhead() {}

  public static void main(String[] args) throws Exception {
    int records = 1_000_000;
    int rounds = 5;
    double sampled = 100;
    String workload = "trivial";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--sampled" -> sampled = Double.parseDouble(args[++i]);
        case "--workload" -> workload = args[++i];
        default -> {
          System.out.println(
              "Usage: TracingOverhead [--workload trivial|clickstream, default trivial]"
                  + " [--records N, default 1000000] [--rounds N, default 5]"
                  + " [--sampled PERCENT of records whose trace context is sampled, default 100]");
          return;
        }
      }
    }
    Workload run =
        switch (workload) {
          case "trivial" -> trivial(records, sampled);
          case "clickstream" -> clickstream(records, sampled);
          default ->
              throw new IllegalArgumentException(
                  "unknown workload '" + workload + "': use trivial or clickstream");
        };
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new AcceptAll());
    System.out.printf(
        Locale.ROOT, "%s workload, %,d records, %.1f %% sampled%n", workload, records, sampled);
    double[] off = new double[rounds];
    double[] on = new double[rounds];
    double[] offCpu = new double[rounds];
    double[] onCpu = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      Result without = run.measure(null);
      Result with = run.measure(registry);
      off[r] = without.recordsPerSecond();
      on[r] = with.recordsPerSecond();
      offCpu[r] = without.cpuNanosPerRecord();
      onCpu[r] = with.cpuNanosPerRecord();
      System.out.printf(
          Locale.ROOT,
          "round %d: off %,.0f/s %,.0f CPU ns/record, on %,.0f/s %,.0f CPU ns/record%n",
          r + 1,
          off[r],
          offCpu[r],
          on[r],
          onCpu[r]);
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
    // On a shared machine the process's CPU time per record holds up where wall-clock rates do not.
    double offCpuMedian = median(offCpu);
    double onCpuMedian = median(onCpu);
    System.out.printf(
        Locale.ROOT,
        "median CPU per record: off %,.0f ns, on %,.0f ns, on/off %.3f (cost %.1f%%)%n",
        offCpuMedian,
        onCpuMedian,
        onCpuMedian / offCpuMedian,
        100 * (onCpuMedian / offCpuMedian - 1));
  }

  /** One run's wall-clock rate and the whole process's CPU time per record. */
  private record Result(double recordsPerSecond, double cpuNanosPerRecord) {}

  /** One run of a workload; observations from {@code registry}, none if null. */
  @FunctionalInterface
  private interface Workload {
    Result measure(ObservationRegistry registry);
  }

  /** Trace headers for record {@code i}: sampled for {@code sampled} % of the records. */
  private static Map<String, String> headers(long i, double sampled) {
    boolean on = (i * 100 % 10_000) < sampled * 100; // spread evenly: 1 % is every 100th record
    return Map.of(TraceHeaders.TRACEPARENT, TRACE + (on ? "1" : "0"));
  }

  private static Workload trivial(int records, double sampled) {
    List<Envelope<Long>> prepared = new ArrayList<>(records);
    Instant now = Instant.now();
    Map<String, String> on = headers(0, 100);
    Map<String, String> off = headers(0, 0);
    for (long i = 0; i < records; i++) {
      prepared.add(
          Envelope.builder(i)
              .position(Position.sequence(i))
              .ingestTime(now)
              .headers(headers(i, sampled).equals(on) ? on : off)
              .build());
    }
    return registry ->
        time(
            records,
            Pipeline.from(new RuntimeBenchmark.PreparedSource<>(prepared))
                .collect(Collector.<Long, Long>map(v -> v))
                .validate(Validator.<Long>rule("value", "negative", v -> v >= 0))
                .map(v -> v + 1)
                .to(Sink.<Long>discard()),
            registry);
  }

  private static Workload clickstream(int records, double sampled) throws Exception {
    Path file = Files.createTempFile("tracing-overhead", ".jsonl");
    List<Envelope<byte[]>> prepared = new ArrayList<>(records);
    try {
      ClickstreamGenerator.generate(file, records, 42);
      Instant now = Instant.now();
      Map<String, String> on = headers(0, 100);
      Map<String, String> off = headers(0, 0);
      long i = 0;
      for (String line : Files.readAllLines(file)) {
        prepared.add(
            Envelope.builder(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .position(Position.sequence(i))
                .ingestTime(now)
                .headers(headers(i, sampled).equals(on) ? on : off)
                .build());
        i++;
      }
    } finally {
      Files.deleteIfExists(file);
    }
    ObjectReader reader = new ObjectMapper().readerFor(ClickEvent.class);
    ClickTransform transform = new ClickTransform();
    return registry ->
        time(
            records,
            Pipeline.from(new RuntimeBenchmark.PreparedSource<>(prepared))
                .collect("parse", Collector.<byte[], ClickEvent>map(reader::readValue))
                .validate(Validator.bean(ClickEvent.class))
                .map("transform", transform::apply)
                .to(Sink.<OutputRecord>discard())
                .deadLetters(new DiscardingDeadLetters()),
            registry);
  }

  private static Result time(int records, PipelineBuilder builder, ObservationRegistry registry) {
    builder.batch(BatchPolicy.ofRecords(1024));
    if (registry != null) {
      builder.observations(registry);
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    RunReport report = builder.build().run();
    double rate = records / ((System.nanoTime() - start) / 1e9);
    double cpuPerRecord = (os.getProcessCpuTime() - cpuStart) / (double) records;
    if (!report.invariantHolds() || report.received() != records) {
      throw new IllegalStateException("run lost records: " + report);
    }
    return new Result(rate, cpuPerRecord);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Keeps no dead letter: the workload's malformed and invalid lines cost their building only. */
  private static final class DiscardingDeadLetters implements dev.collect.core.DeadLetterSink {
    @Override
    public String name() {
      return "discarded-dead-letters";
    }

    @Override
    public void write(List<dev.collect.core.DeadLetter> letters) {}
  }

  /** Accepts every context and does nothing: the cost measured is the runtime's own. */
  private static final class AcceptAll implements ObservationHandler<Observation.Context> {
    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }
}
