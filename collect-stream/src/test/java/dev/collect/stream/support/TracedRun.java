package dev.collect.stream.support;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import brave.test.TestSpanHandler;
import dev.collect.core.Collector;
import dev.collect.core.DeadLetter;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineBuilder;
import dev.collect.core.RunReport;
import dev.collect.core.Source;
import dev.collect.core.TraceHeaders;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One run of a source's trace IT: the source receives {@code "42"} under {@link #GOOD_TRACE} and
 * {@code "not a number"} under {@link #BAD_TRACE}; the {@linkplain #pipeline pipeline} parses them,
 * writes the one to a sink named {@code "numbers"} and dead-letters the other, traced by Brave
 * behind Micrometer Tracing (W3C propagation) that keeps every span. Close it before {@link
 * #assertFollowed}.
 */
public final class TracedRun implements AutoCloseable {
  public static final String GOOD_TRACE = "0af7651916cd43dd8448eb211c80319c";
  public static final String BAD_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SENDER_SPAN = "00f067aa0ba902b7";

  /** Parses a number; anything else is a malformed record. */
  private static final Collector<byte[], Long> PARSE =
      (input, output) -> {
        try {
          output.emit(Long.parseLong(new String(input.value(), StandardCharsets.UTF_8)));
        } catch (NumberFormatException e) {
          throw new MalformedRecordException("not a number");
        }
      };

  private final TestSink<Long> sink = new TestSink<>("numbers");
  private final TestDeadLetterSink dead = new TestDeadLetterSink();
  private final TestSpanHandler spans = new TestSpanHandler();
  private final Tracing tracing =
      Tracing.newBuilder()
          .currentTraceContext(ThreadLocalCurrentTraceContext.create())
          .propagationFactory(new W3CPropagation())
          .sampler(Sampler.ALWAYS_SAMPLE)
          .addSpanHandler(spans)
          .build();

  /** The W3C trace context a sender puts on a message of {@code trace}. */
  public static Map<String, String> context(String trace) {
    return Map.of(
        TraceHeaders.TRACEPARENT,
        "00-" + trace + "-" + SENDER_SPAN + "-01",
        TraceHeaders.TRACESTATE,
        "congo=t61rcWkgMzE");
  }

  /** The traced pipeline of {@code source}, named {@code "traced"}, still to be built. */
  public PipelineBuilder pipeline(Source<byte[]> source) {
    return Pipeline.from(source)
        .collect("parse", PARSE)
        .to(sink)
        .deadLetters(dead)
        .name("traced")
        .observations(observations());
  }

  /** Waits until the good record is written, at most {@code timeout}, and the bad one dead. */
  public void awaitWrittenAndDeadLettered(Duration timeout) throws InterruptedException {
    assertThat(sink.awaitSize(1, timeout)).isTrue();
    while (dead.size() < 1) {
      Thread.sleep(20);
    }
  }

  /** The dead letter of the bad record. */
  public DeadLetter deadLetter() {
    return dead.letters().get(0);
  }

  private ObservationRegistry observations() {
    BraveTracer tracer =
        new BraveTracer(
            tracing.tracer(),
            new BraveCurrentTraceContext(tracing.currentTraceContext()),
            new BraveBaggageManager());
    BravePropagator propagator = new BravePropagator(tracing);
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    return registry;
  }

  /**
   * Asserts that the good record's trace runs from its sender's span through the record span to the
   * sink span, that both records were parsed in their own trace, and that the dead letter carries
   * the bad record's trace id and names its span.
   */
  public void assertFollowed(RunReport report) {
    assertThat(report.received()).isEqualTo(2);
    assertThat(report.received())
        .isEqualTo(report.written() + report.deadLettered() + report.filtered());
    assertThat(sink.values()).containsExactly(42L);
    MutableSpan sinkSpan =
        spans.spans().stream()
            .filter(s -> "numbers".equals(s.tag("sink")))
            .findFirst()
            .orElseThrow();
    assertThat(sinkSpan.traceId()).isEqualTo(GOOD_TRACE);
    MutableSpan recordSpan = byId(sinkSpan.parentId());
    assertThat(recordSpan.traceId()).isEqualTo(GOOD_TRACE);
    assertThat(recordSpan.parentId()).isEqualTo(SENDER_SPAN);
    assertThat(spans.spans())
        .filteredOn(s -> "parse".equals(s.tag("component")))
        .extracting(MutableSpan::traceId)
        .containsExactlyInAnyOrder(GOOD_TRACE, BAD_TRACE);

    DeadLetter letter = deadLetter();
    assertThat(letter.traceId()).isEqualTo(BAD_TRACE);
    String letterSpanId = letter.headers().get(TraceHeaders.TRACEPARENT).substring(36, 52);
    MutableSpan letterSpan = byId(letterSpanId);
    assertThat(letterSpan.traceId()).isEqualTo(BAD_TRACE);
    assertThat(letterSpan.tag("reason")).isEqualTo("malformed");
  }

  private MutableSpan byId(String id) {
    return spans.spans().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    tracing.close();
  }
}
