package dev.collect.core;

import dev.collect.core.internal.runtime.DefaultPipeline;
import dev.collect.core.internal.runtime.PipelineSpec;
import dev.collect.core.internal.runtime.SerializedSink;
import dev.collect.core.internal.runtime.Step;
import dev.collect.core.privacy.JsonPrivacy;
import dev.collect.core.spi.Checks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings of a pipeline, after its steps and sinks: name, workers, batching, retries, dead
 * letters, metrics, checkpoints. Every setter states its default and rejects bad values at once.
 * Not thread-safe; {@link #build()} may be called once.
 */
public final class PipelineBuilder {

  /** Default number of workers. */
  public static final int DEFAULT_WORKERS = 1;

  /** Default bound of each worker's queue, in records. */
  public static final int DEFAULT_QUEUE_RECORDS = 16 * 1024;

  /** Default bound of each worker's queue, in estimated bytes. */
  public static final long DEFAULT_QUEUE_BYTES = 32L * 1024 * 1024;

  /** Default interval between flush-and-commit rounds. */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

  private final Source<?> source;
  private final List<Step> steps;
  private final List<Sink<?>> sinks;
  private String name = "pipeline";
  private String version = "1";
  private String schemaVersion = "1";
  private int workers = DEFAULT_WORKERS;
  private BatchPolicy batch = BatchPolicy.defaults();
  private RetryPolicy retry = RetryPolicy.defaults();
  private ErrorClassifier classifier = ErrorClassifier.defaults();
  private DeadLetterSink deadLetters;
  private MeterRegistry registry;
  private CheckpointStore checkpoints = CheckpointStore.inMemory();
  private int queueRecords = DEFAULT_QUEUE_RECORDS;
  private long queueBytes = DEFAULT_QUEUE_BYTES;
  private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
  private JsonPrivacy deadLetterPrivacy;
  private Duration progressInterval;
  private Consumer<RunReport> progress;
  private ObservationRegistry observations;
  private double untracedRatio = 1.0;
  private Clock clock = Clock.systemUTC();

  PipelineBuilder(Source<?> source, List<Step> steps, List<Sink<?>> sinks) {
    this.source = source;
    this.steps = steps;
    this.sinks = sinks.stream().<Sink<?>>map(SerializedSink::wrapIfNeeded).toList();
  }

  /** The {@code pipeline} tag and dead letters' pipeline name; default {@code "pipeline"}. */
  public PipelineBuilder name(String value) {
    this.name = Checks.notBlank("name", value);
    return this;
  }

  /** Pipeline and record-schema versions written into dead letters; default {@code "1"}, "1". */
  public PipelineBuilder versions(String pipelineVersion, String recordSchemaVersion) {
    this.version = Objects.requireNonNull(pipelineVersion, "pipelineVersion");
    this.schemaVersion = Objects.requireNonNull(recordSchemaVersion, "recordSchemaVersion");
    return this;
  }

  /**
   * Worker threads; default 1. Records with equal keys at the flow's routing point (the source, or
   * its last {@code keyBy}/{@code routeByKey} step; see {@link Envelope}) always go to the same
   * worker, in order; records without a key are spread in chunks.
   */
  public PipelineBuilder workers(int value) {
    this.workers = Checks.positive("workers", value);
    return this;
  }

  /** Sink batching; default {@link BatchPolicy#defaults()}. */
  public PipelineBuilder batch(BatchPolicy value) {
    this.batch = Objects.requireNonNull(value, "batch");
    return this;
  }

  /** Retries of transient failures; default {@link RetryPolicy#defaults()}. */
  public PipelineBuilder retry(RetryPolicy value) {
    this.retry = Objects.requireNonNull(value, "retry");
    return this;
  }

  /** What failures mean; default {@link ErrorClassifier#defaults()}. */
  public PipelineBuilder classifier(ErrorClassifier value) {
    this.classifier = Objects.requireNonNull(value, "classifier");
    return this;
  }

  /**
   * Where failed records go; default none, which makes the first failed record stop the pipeline
   * (nothing is dropped silently).
   */
  public PipelineBuilder deadLetters(DeadLetterSink value) {
    this.deadLetters = Objects.requireNonNull(value, "deadLetters");
    return this;
  }

  /**
   * Redacts dead letters' payloads, offending values and error messages with these field rules:
   * personal values are removed from the exception's message, and a payload that is not JSON is
   * left out with the message (see {@link DeadLetter}). Default: dead letters keep the payload and
   * the message as received and thrown.
   */
  public PipelineBuilder deadLetterPrivacy(JsonPrivacy value) {
    this.deadLetterPrivacy = Objects.requireNonNull(value, "deadLetterPrivacy");
    return this;
  }

  /** Where meters are registered; default a private {@code SimpleMeterRegistry}. */
  public PipelineBuilder metrics(MeterRegistry value) {
    this.registry = Objects.requireNonNull(value, "metrics");
    return this;
  }

  /**
   * Observes each record's path in {@code registry}: a {@code collect.record} observation per
   * record the source delivered, continuing the W3C trace context in its headers ({@link
   * TraceHeaders}), with a {@code collect.stage} child per step after the routing point, a {@code
   * collect.sink} child per sink write, and a {@code collect.dead.letter} child per dead letter,
   * whose trace context is written into the dead letter's headers ({@link DeadLetter#traceId()}).
   * With a tracing bridge (OpenTelemetry, Brave) these are spans of the record's trace.
   *
   * <p>Sampling follows the trace: a record whose {@code traceparent} says it is not sampled (flags
   * {@code 00}) gets no observation, and its dead letters keep the source's trace headers; a record
   * without a trace context is observed. Default: no observations, and then the runtime creates
   * none and allocates nothing for them.
   */
  public PipelineBuilder observations(ObservationRegistry registry) {
    return observations(registry, 1.0);
  }

  /**
   * Like {@link #observations(ObservationRegistry)}, observing only the share {@code untracedRatio}
   * (0 to 1, chosen at random per record) of the records that arrive without a trace context: the
   * sampling a tracer would apply to a new trace, decided before any observation is made, so that
   * unobserved records cost one header look-up.
   */
  public PipelineBuilder observations(ObservationRegistry registry, double untracedRatio) {
    Checks.inRange("untracedRatio", untracedRatio, 0.0, 1.0);
    this.observations = Objects.requireNonNull(registry, "observations");
    this.untracedRatio = untracedRatio;
    return this;
  }

  /**
   * The clock of ingest times, failure times and the run report's start, handed to every part in
   * {@link PipelineContext#clock()}; default {@code Clock.systemUTC()}. Tests pass a {@link
   * dev.collect.core.testing.TestClock}. Timeouts, backoff and commit intervals are measured on the
   * JVM's monotonic timer, not on this clock.
   */
  public PipelineBuilder clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  /** Where sources keep their positions; default in memory (lost on exit). */
  public PipelineBuilder checkpoints(CheckpointStore value) {
    this.checkpoints = Objects.requireNonNull(value, "checkpoints");
    return this;
  }

  /**
   * Bound of each worker's queue; default {@value #DEFAULT_QUEUE_RECORDS} records and 32 MiB. When
   * full, the source is not polled (backpressure).
   */
  public PipelineBuilder queueCapacity(int records, long bytes) {
    this.queueRecords = Checks.positive("queue records", records);
    this.queueBytes = Checks.positive("queue bytes", bytes);
    return this;
  }

  /**
   * How often sinks are flushed and settled positions committed; default 1 s. The first settled
   * batch is committed at once, without waiting for the interval.
   */
  public PipelineBuilder commitInterval(Duration value) {
    this.commitInterval = Checks.positive("commitInterval", value);
    return this;
  }

  /** Calls {@code listener} with the counts so far every {@code interval}, from a daemon thread. */
  public PipelineBuilder progress(Duration interval, Consumer<RunReport> listener) {
    this.progressInterval = Checks.positive("progress interval", interval);
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The pipeline, ready to {@link Pipeline#run()} or {@link Pipeline#start()}. */
  public Pipeline build() {
    PipelineSpec spec =
        new PipelineSpec(
            name,
            version,
            schemaVersion,
            source,
            steps,
            sinks,
            deadLetters,
            workers,
            batch,
            retry,
            classifier,
            registry == null ? new SimpleMeterRegistry() : registry,
            checkpoints,
            queueRecords,
            queueBytes,
            commitInterval,
            deadLetterPrivacy,
            progressInterval,
            progress,
            observations,
            untracedRatio,
            clock);
    return new DefaultPipeline(spec);
  }
}
