package dev.collect.core.internal.runtime;

import dev.collect.core.Envelope;
import dev.collect.core.TraceHeaders;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The observations of one pipeline, present only when the builder was given an {@link
 * ObservationRegistry}: everything else holds a null reference and checks it, so a pipeline without
 * observations allocates nothing for them.
 *
 * <p>A record's observation is a receiver whose carrier is the delivered envelope's headers, so a
 * tracing handler continues the trace of their W3C {@code traceparent}/{@code tracestate}. Step and
 * sink observations are its children; a dead letter's observation is a sender that writes the
 * current trace context into the dead letter's headers.
 *
 * <p>Whether a record is observed at all is decided first ({@link #observes}), from its trace
 * context's sampled flag or, without one, the untraced ratio: an unobserved record costs one header
 * look-up. Names and key values are built once per pipeline, step and sink, not per record.
 */
final class Tracing {
  static final String RECORD = "collect.record";
  static final String STAGE = "collect.stage";
  static final String SINK = "collect.sink";
  static final String DEAD_LETTER = "collect.dead.letter";

  private final ObservationRegistry registry;
  private final String pipeline;
  private final double untracedRatio;
  private final String recordName;
  private final KeyValues pipelineKeys;
  private final Map<Step, Named> steps = new HashMap<>();
  private final Map<String, Named> sinks = new HashMap<>();

  /** A contextual name and its low-cardinality key values, built once. */
  private record Named(String name, KeyValues keys) {}

  Tracing(ObservationRegistry registry, String pipeline, double untracedRatio) {
    this.registry = registry;
    this.pipeline = pipeline;
    this.untracedRatio = untracedRatio;
    this.recordName = pipeline + " record";
    this.pipelineKeys = KeyValues.of("pipeline", pipeline);
  }

  /**
   * Whether {@code delivered} is observed: as its {@code traceparent}'s sampled flag says, or,
   * without a well-formed one, with probability {@code untracedRatio}.
   */
  boolean observes(Envelope<?> delivered) {
    String parent = delivered.headers().get(TraceHeaders.TRACEPARENT);
    if (parent != null && parent.length() == 55 && parent.charAt(52) == '-') {
      int flags = Character.digit(parent.charAt(54), 16);
      if (flags >= 0) {
        return (flags & 1) == 1;
      }
    }
    return untracedRatio >= 1
        || (untracedRatio > 0 && ThreadLocalRandom.current().nextDouble() < untracedRatio);
  }

  /** Started: the observation of one delivered record, continuing the trace in its headers. */
  Observation record(Envelope<?> delivered) {
    ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get, Kind.CONSUMER);
    context.setCarrier(delivered.headers());
    String source = delivered.source() == null ? "source" : delivered.source();
    context.setRemoteServiceName(source);
    return Observation.createNotStarted(RECORD, () -> context, registry)
        .contextualName(recordName)
        .lowCardinalityKeyValues(pipelineKeys)
        .lowCardinalityKeyValue("source", source)
        .start();
  }

  /** Started: one step's work on one record, a child of {@code parent}. */
  Observation stage(Step step, Observation parent) {
    Named named =
        steps.computeIfAbsent(
            step,
            s ->
                new Named(
                    s.stage().tag() + " " + s.name,
                    pipelineKeys.and("stage", s.stage().tag(), "component", s.name)));
    return Observation.createNotStarted(STAGE, registry)
        .parentObservation(parent)
        .contextualName(named.name())
        .lowCardinalityKeyValues(named.keys())
        .start();
  }

  /** Started: one record's part in a sink batch write, a child of its record's observation. */
  Observation sink(String sink, Observation parent, int batchSize) {
    Named named =
        sinks.computeIfAbsent(sink, s -> new Named("sink " + s, pipelineKeys.and("sink", s)));
    return Observation.createNotStarted(SINK, registry)
        .parentObservation(parent)
        .contextualName(named.name())
        .lowCardinalityKeyValues(named.keys())
        .highCardinalityKeyValue("batch.size", Integer.toString(batchSize))
        .start();
  }

  /**
   * The headers for a dead letter failing under the current observation: {@code headers} with the
   * trace context of a dead-letter observation (child of the current one) written over them; {@code
   * headers} as they are when the record is not observed.
   */
  Map<String, String> deadLetterHeaders(Map<String, String> headers, String reason) {
    if (registry.getCurrentObservation() == null) {
      return headers;
    }
    Map<String, String> carrier = new LinkedHashMap<>(headers);
    SenderContext<Map<String, String>> context = new SenderContext<>(Map::put, Kind.PRODUCER);
    context.setCarrier(carrier);
    Observation observation =
        Observation.createNotStarted(DEAD_LETTER, () -> context, registry)
            .parentObservation(registry.getCurrentObservation())
            .contextualName(pipeline + " dead letter")
            .lowCardinalityKeyValue("pipeline", pipeline)
            .lowCardinalityKeyValue("reason", reason)
            .start();
    observation.stop();
    return carrier;
  }
}
