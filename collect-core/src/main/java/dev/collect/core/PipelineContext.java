package dev.collect.core;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * What sources, collectors and sinks get from the runtime when they open: the pipeline's name, its
 * meter registry and its checkpoint store.
 *
 * @param pipeline the pipeline's name, the value of the {@code pipeline} tag on every meter
 * @param meterRegistry where a component registers its own meters (lag, connection state, drift)
 * @param checkpoints the pipeline's checkpoint store, for sources that resume
 */
public record PipelineContext(
    String pipeline, MeterRegistry meterRegistry, CheckpointStore checkpoints) {}
