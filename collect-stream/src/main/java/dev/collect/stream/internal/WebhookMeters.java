package dev.collect.stream.internal;

import dev.collect.core.MetricNames;
import dev.collect.stream.StreamMetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The counter {@code collect.webhook.responses{status}}, one per status met. Thread-safe. */
final class WebhookMeters {
  private final MeterRegistry registry;
  private final String pipeline;
  private final String source;
  private final Map<Integer, Counter> responses = new ConcurrentHashMap<>();

  WebhookMeters(MeterRegistry registry, String pipeline, String source) {
    this.registry = registry;
    this.pipeline = pipeline;
    this.source = source;
  }

  void response(int status) {
    responses
        .computeIfAbsent(
            status,
            s ->
                Counter.builder(StreamMetricNames.WEBHOOK_RESPONSES)
                    .description("HTTP responses of the webhook source by status")
                    .tags(
                        MetricNames.TAG_PIPELINE,
                        pipeline,
                        MetricNames.TAG_SOURCE,
                        source,
                        "status",
                        String.valueOf(s))
                    .register(registry))
        .increment();
  }
}
