package dev.collect.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a pipeline did: counts, rates, latency and data quality. {@code received = written +
 * deadLettered + filtered} holds for a pipeline that finished or drained completely; while records
 * are in flight, or when a stop could not drain them, the difference is {@link #inFlight()}.
 *
 * @param pipeline the pipeline's name
 * @param status how the run ended, or {@link Status#RUNNING}
 * @param sourceRecords records the source delivered
 * @param received records that entered the pipeline: source records, plus the extra outputs of
 *     steps that turned one record into several
 * @param written records every sink accepted
 * @param deadLettered records sent to the dead-letter sink
 * @param filtered records dropped on purpose (a filter, a collector that emitted nothing)
 * @param retried retry attempts, of records and of sink batches
 * @param deadLettersByReason dead letters per {@code stage/reason}
 * @param startedAt when the run started
 * @param elapsed how long it ran
 * @param latencyP50 end-to-end latency (ingest to written), median; zero if nothing was written
 * @param latencyP99 end-to-end latency, 99th percentile
 * @param quality the data-quality figures
 * @param failure why the run failed, or null
 */
public record RunReport(
    String pipeline,
    Status status,
    long sourceRecords,
    long received,
    long written,
    long deadLettered,
    long filtered,
    long retried,
    Map<String, Long> deadLettersByReason,
    Instant startedAt,
    Duration elapsed,
    Duration latencyP50,
    Duration latencyP99,
    Quality quality,
    @Nullable String failure) {

  /** How a run ended. */
  public enum Status {
    RUNNING,
    COMPLETED,
    STOPPED,
    FAILED
  }

  /**
   * The data-quality figures. {@code score} is the share of validated records that were valid (1.0
   * when nothing was validated); null rates per field and event-time lag are measured on a sample
   * of one validated record in {@value #SAMPLE_EVERY}.
   *
   * @param score valid / validated, in [0, 1]
   * @param validated records that went through a validator
   * @param invalid records with violations
   * @param nullRates per top-level field, the share of sampled records where it was null
   * @param meanEventLag mean of ingest time minus event time over sampled records with an event
   *     time; zero when none had one
   * @param eventTimeSamples how many sampled records had an event time
   */
  public record Quality(
      double score,
      long validated,
      long invalid,
      Map<String, Double> nullRates,
      Duration meanEventLag,
      long eventTimeSamples) {
    /** One validated record in this many is sampled for null rates and lag. */
    public static final int SAMPLE_EVERY = 64;
  }

  /** Records received but not yet settled; zero once a run completed. */
  public long inFlight() {
    return received - written - deadLettered - filtered;
  }

  /** Whether {@code received = written + deadLettered + filtered}. */
  public boolean invariantHolds() {
    return inFlight() == 0;
  }

  /** Source records per second over the run. */
  public double recordsPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : sourceRecords / seconds;
  }

  /** The report as an aligned, human-readable table. */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    row(out, "pipeline", pipeline);
    row(out, "status", status + (failure == null ? "" : " (" + failure + ")"));
    row(out, "source records", String.format(Locale.ROOT, "%,d", sourceRecords));
    row(out, "received", String.format(Locale.ROOT, "%,d", received));
    row(out, "written", String.format(Locale.ROOT, "%,d", written));
    row(out, "dead-lettered", String.format(Locale.ROOT, "%,d", deadLettered));
    deadLettersByReason.forEach(
        (reason, count) -> row(out, "  " + reason, String.format(Locale.ROOT, "%,d", count)));
    row(out, "filtered", String.format(Locale.ROOT, "%,d", filtered));
    row(out, "retried", String.format(Locale.ROOT, "%,d", retried));
    row(out, "in flight", String.format(Locale.ROOT, "%,d", inFlight()));
    row(out, "elapsed", String.format(Locale.ROOT, "%.3f s", elapsed.toNanos() / 1e9));
    row(out, "records/s", String.format(Locale.ROOT, "%,.0f", recordsPerSecond()));
    row(
        out,
        "latency p50 / p99",
        String.format(
            Locale.ROOT,
            "%.1f ms / %.1f ms",
            latencyP50.toNanos() / 1e6,
            latencyP99.toNanos() / 1e6));
    row(
        out,
        "quality score",
        String.format(
            Locale.ROOT,
            "%.4f (%,d of %,d validated were invalid)",
            quality.score(),
            quality.invalid(),
            quality.validated()));
    quality
        .nullRates()
        .forEach(
            (field, rate) ->
                row(out, "  null rate " + field, String.format(Locale.ROOT, "%.4f", rate)));
    row(
        out,
        "mean event lag",
        quality.eventTimeSamples() == 0
            ? "n/a (no sampled record had an event time)"
            : String.format(Locale.ROOT, "%.1f ms", quality.meanEventLag().toNanos() / 1e6));
    return out.toString();
  }

  private static void row(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "%-24s %s%n", label, value));
  }
}
