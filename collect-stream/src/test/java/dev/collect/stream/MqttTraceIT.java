package dev.collect.stream;

import static dev.collect.stream.support.TracedRun.BAD_TRACE;
import static dev.collect.stream.support.TracedRun.GOOD_TRACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.stream.support.MqttRun;
import dev.collect.stream.support.MqttTestClient;
import dev.collect.stream.support.Pipelines;
import dev.collect.stream.support.Services;
import dev.collect.stream.support.Services.MqttBroker;
import dev.collect.stream.support.TracedRun;
import java.time.Duration;
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

  @Test
  void aRecordIsFollowedFromItsUserPropertiesToTheSinkSpanAndIntoItsDeadLetter() throws Exception {
    MqttBroker broker = Services.mqtt(MqttVersion.V5);
    MqttRun run = MqttRun.named("traced");
    TracedRun traced = new TracedRun();

    RunReport report;
    try (traced) {
      Pipeline pipeline =
          traced
              .pipeline(Mqtt.source(run.sourceConfig(broker.uri()).build()))
              .commitInterval(Duration.ofMillis(100))
              .build();
      Pipelines.startReady(pipeline);
      try (MqttTestClient publisher = MqttTestClient.publisher(broker)) {
        publisher.publish(run.topic(), "42", 1, TracedRun.context(GOOD_TRACE));
        publisher.publish(run.topic(), "not a number", 1, TracedRun.context(BAD_TRACE));
      }
      traced.awaitWrittenAndDeadLettered(Duration.ofSeconds(20));
      report = pipeline.stop(Duration.ofSeconds(10));
    }

    traced.assertFollowed(report);
    assertThat(traced.deadLetter().headers()).containsEntry("mqtt.topic", run.topic());
    MqttTestClient.cleanSession(broker, run.clientId());
  }
}
