package dev.collect.core.internal.runtime;

import dev.collect.core.BatchPolicy;
import dev.collect.core.CheckpointStore;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.ErrorClassifier;
import dev.collect.core.RetryPolicy;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import dev.collect.core.privacy.JsonPrivacy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Everything a pipeline was built with, validated by the builder. */
public record PipelineSpec(
    String name,
    String version,
    String schemaVersion,
    Source<?> source,
    List<Step> steps,
    List<Sink<?>> sinks,
    DeadLetterSink deadLetters,
    int workers,
    BatchPolicy batch,
    RetryPolicy retry,
    ErrorClassifier classifier,
    MeterRegistry registry,
    CheckpointStore checkpoints,
    int queueRecords,
    long queueBytes,
    Duration commitInterval,
    JsonPrivacy deadLetterPrivacy,
    Duration progressInterval,
    Consumer<RunReport> progress,
    ObservationRegistry observations,
    double untracedRatio,
    Clock clock) {}
