package dev.collect.core.internal.runtime;

import dev.collect.core.Envelope;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The observations of one pipeline, present only when the builder was given an {@link
 * ObservationRegistry}: everything else holds a null reference and checks it, so a pipeline without
 * observations allocates nothing for them.
 *
 * <p>A record's observation is a receiver whose carrier is the delivered envelope's headers, so a
 * tracing handler continues the trace of their W3C {@code traceparent}/{@code tracestate}. Step and
 * sink observations are its children; a dead letter's observation is a sender that writes the
 * current trace context into the dead letter's headers.
 */
final class Tracing {
  static final String RECORD = "collect.record";
  static final String STAGE = "collect.stage";
  static final String SINK = "collect.sink";
  static final String DEAD_LETTER = "collect.dead.letter";

  private final ObservationRegistry registry;
  private final String pipeline;

  Tracing(ObservationRegistry registry, String pipeline) {
    this.registry = registry;
    this.pipeline = pipeline;
  }

  /** Started: the observation of one delivered record, continuing the trace in its headers. */
  Observation record(Envelope<?> delivered) {
    ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get, Kind.CONSUMER);
    context.setCarrier(delivered.headers());
    String source = delivered.source() == null ? "source" : delivered.source();
    context.setRemoteServiceName(source);
    return Observation.createNotStarted(RECORD, () -> context, registry)
        .contextualName(pipeline + " record")
        .lowCardinalityKeyValue("pipeline", pipeline)
        .lowCardinalityKeyValue("source", source)
        .start();
  }

  /** Started: one step's work on one record, a child of {@code parent}. */
  Observation stage(Step step, Observation parent) {
    return Observation.createNotStarted(STAGE, registry)
        .parentObservation(parent)
        .contextualName(step.stage().tag() + " " + step.name)
        .lowCardinalityKeyValue("pipeline", pipeline)
        .lowCardinalityKeyValue("stage", step.stage().tag())
        .lowCardinalityKeyValue("component", step.name)
        .start();
  }

  /** Started: one record's part in a sink batch write, a child of its record's observation. */
  Observation sink(String sink, Observation parent, int batchSize) {
    return Observation.createNotStarted(SINK, registry)
        .parentObservation(parent)
        .contextualName("sink " + sink)
        .lowCardinalityKeyValue("pipeline", pipeline)
        .lowCardinalityKeyValue("sink", sink)
        .highCardinalityKeyValue("batch.size", Integer.toString(batchSize))
        .start();
  }

  /**
   * The headers for a dead letter failing under the current observation: {@code headers} with the
   * trace context of a dead-letter observation (child of the current one) written over them.
   */
  Map<String, String> deadLetterHeaders(Map<String, String> headers, String reason) {
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
