package dev.collect.core;

import dev.collect.core.internal.runtime.DeadLetterFactory;
import dev.collect.core.spi.Failure;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What sources, collectors and sinks get from the runtime when they open: the pipeline's name, its
 * meter registry, its checkpoint store, where to count retries a component makes on its own, and
 * how to turn a record's failure into the pipeline's dead letter.
 *
 * @param pipeline the pipeline's name, the value of the {@code pipeline} tag on every meter
 * @param meterRegistry where a component registers its own meters (lag, connection state, drift)
 * @param checkpoints the pipeline's checkpoint store, for sources that resume
 * @param retries counts one retry in the run report's {@code retried} and in {@code
 *     collect.records.retried} with the given stage's tag
 * @param deadLetters builds the dead letter of a failure the way the pipeline builds its own: with
 *     its versions and its dead-letter privacy rules (see {@link #deadLetter})
 * @param clock the pipeline's clock ({@link PipelineBuilder#clock}): components take ingest times,
 *     failure times and processing time from it rather than from {@link Instant#now()}, so that a
 *     test can control them
 */
public record PipelineContext(
    String pipeline,
    MeterRegistry meterRegistry,
    CheckpointStore checkpoints,
    Consumer<Stage> retries,
    Function<Failure, DeadLetter> deadLetters,
    Clock clock) {

  /** A context that counts no retries (for a component opened outside a pipeline). */
  public PipelineContext(
      String pipeline, MeterRegistry meterRegistry, CheckpointStore checkpoints) {
    this(pipeline, meterRegistry, checkpoints, stage -> {});
  }

  /**
   * A context on the system clock (UTC) whose dead letters carry no versions and apply no privacy
   * rules.
   */
  public PipelineContext(
      String pipeline,
      MeterRegistry meterRegistry,
      CheckpointStore checkpoints,
      Consumer<Stage> retries) {
    this(pipeline, meterRegistry, checkpoints, retries, Clock.systemUTC());
  }

  private PipelineContext(
      String pipeline,
      MeterRegistry meterRegistry,
      CheckpointStore checkpoints,
      Consumer<Stage> retries,
      Clock clock) {
    this(pipeline, meterRegistry, checkpoints, retries, plainDeadLetters(pipeline, clock), clock);
  }

  private static Function<Failure, DeadLetter> plainDeadLetters(String pipeline, Clock clock) {
    DeadLetterFactory factory = new DeadLetterFactory(pipeline, null, null, null);
    return failure -> factory.create(failure, clock.instant(), failure.record().headers());
  }

  /** The current instant of the pipeline's clock. */
  public Instant now() {
    return clock.instant();
  }

  /** Counts one retry made by the component itself (e.g. a source repeating an HTTP request). */
  public void retried(Stage stage) {
    retries.accept(stage);
  }

  /**
   * The dead letter of {@code failure}, for a component that writes dead letters itself (a
   * windowing collector's late records): the same fields, bounds and privacy as the pipeline's.
   */
  public DeadLetter deadLetter(Failure failure) {
    return deadLetters.apply(failure);
  }
}
