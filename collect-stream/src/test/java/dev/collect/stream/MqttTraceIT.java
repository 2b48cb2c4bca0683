package dev.collect.stream;

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
import dev.collect.core.RunReport;
import dev.collect.core.TraceHeaders;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.MqttTestClient;
import dev.collect.stream.support.Services;
import dev.collect.stream.support.Services.MqttBroker;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A record's trace, from the W3C trace context in its MQTT 5 user properties to the sink span, and
 * a dead letter carrying its trace id, through Brave behind Micrometer Tracing and a real broker
 * (skipped where only Moquette, which has no MQTT 5, is available, outside CI).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttTraceIT {
  private static final String GOOD_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String BAD_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void aRecordIsFollowedFromItsUserPropertiesToTheSinkSpanAndIntoItsDeadLetter() throws Exception {
    MqttBroker broker = Services.mqtt(MqttVersion.V5);
    String run = Long.toString(System.nanoTime());
    String topic = "collect/it/traced/" + run;
    String clientId = "collect-it-traced-" + run;
    TestSpanHandler spans = new TestSpanHandler();
    TestSink<Long> sink = new TestSink<>("numbers");
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report;
    try (Tracing tracing = braveTracing(spans)) {
      Pipeline pipeline =
          Pipeline.from(
                  Mqtt.source(
                      MqttSourceConfig.builder()
                          .serverUri(broker.uri())
                          .clientId(clientId)
                          .subscribe(topic, 1)
                          .build()))
              .collect("parse", PARSE)
              .to(sink)
              .deadLetters(dead)
              .name("traced")
              .commitInterval(Duration.ofMillis(100))
              .observations(observations(tracing))
              .build();
      pipeline.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!pipeline.isReady() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      try (MqttTestClient publisher = MqttTestClient.publisher(broker)) {
        publisher.publish(topic, "42", 1, context(GOOD_TRACE));
        publisher.publish(topic, "not a number", 1, context(BAD_TRACE));
      }
      assertThat(sink.awaitSize(1, Duration.ofSeconds(20))).isTrue();
      while (dead.size() < 1) {
        Thread.sleep(20);
      }
      report = pipeline.stop(Duration.ofSeconds(10));
    }

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
    MutableSpan recordSpan = byId(spans, sinkSpan.parentId());
    assertThat(recordSpan.traceId()).isEqualTo(GOOD_TRACE);
    assertThat(recordSpan.parentId()).isEqualTo("00f067aa0ba902b7");
    assertThat(spans.spans())
        .filteredOn(s -> "parse".equals(s.tag("component")))
        .extracting(MutableSpan::traceId)
        .containsExactlyInAnyOrder(GOOD_TRACE, BAD_TRACE);

    DeadLetter letter = dead.letters().get(0);
    assertThat(letter.traceId()).isEqualTo(BAD_TRACE);
    assertThat(letter.headers()).containsEntry("mqtt.topic", topic);
    String letterSpanId = letter.headers().get(TraceHeaders.TRACEPARENT).substring(36, 52);
    MutableSpan letterSpan = byId(spans, letterSpanId);
    assertThat(letterSpan.traceId()).isEqualTo(BAD_TRACE);
    assertThat(letterSpan.tag("reason")).isEqualTo("malformed");
    MqttTestClient.cleanSession(broker, clientId);
  }

  private static final Collector<byte[], Long> PARSE =
      (input, output) -> {
        try {
          output.emit(Long.parseLong(new String(input.value(), StandardCharsets.UTF_8)));
        } catch (NumberFormatException e) {
          throw new MalformedRecordException("not a number");
        }
      };

  private static Map<String, String> context(String trace) {
    return Map.of(
        TraceHeaders.TRACEPARENT,
        "00-" + trace + "-00f067aa0ba902b7-01",
        TraceHeaders.TRACESTATE,
        "congo=t61rcWkgMzE");
  }

  private static MutableSpan byId(TestSpanHandler spans, String id) {
    return spans.spans().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  private static Tracing braveTracing(TestSpanHandler spans) {
    return Tracing.newBuilder()
        .currentTraceContext(ThreadLocalCurrentTraceContext.create())
        .propagationFactory(new W3CPropagation())
        .sampler(Sampler.ALWAYS_SAMPLE)
        .addSpanHandler(spans)
        .build();
  }

  private static ObservationRegistry observations(Tracing tracing) {
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
}
