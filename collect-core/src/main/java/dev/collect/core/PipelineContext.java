package dev.collect.core;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;

/**
 * What sources, collectors and sinks get from the runtime when they open: the pipeline's name, its
 * meter registry, its checkpoint store, and where to count retries a component makes on its own.
 *
 * @param pipeline the pipeline's name, the value of the {@code pipeline} tag on every meter
 * @param meterRegistry where a component registers its own meters (lag, connection state, drift)
 * @param checkpoints the pipeline's checkpoint store, for sources that resume
 * @param retries counts one retry in the run report's {@code retried} and in {@code
 *     collect.records.retried} with the given stage's tag
 */
public record PipelineContext(
    String pipeline,
    MeterRegistry meterRegistry,
    CheckpointStore checkpoints,
    Consumer<Stage> retries) {

  /** A context that counts no retries (for a component opened outside a pipeline). */
  public PipelineContext(
      String pipeline, MeterRegistry meterRegistry, CheckpointStore checkpoints) {
    this(pipeline, meterRegistry, checkpoints, stage -> {});
  }

  /** Counts one retry made by the component itself (e.g. a source repeating an HTTP request). */
  public void retried(Stage stage) {
    retries.accept(stage);
  }
}
