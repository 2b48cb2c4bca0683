package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Collector;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.stream.support.MqttTestClient;
import dev.collect.stream.support.Pipelines;
import dev.collect.stream.support.Services;
import dev.collect.stream.support.Services.MqttBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's MQTT snippet, as written there (the test broker's address, a unique client id and
 * topic, files in a temp directory). MQTT 5: skipped where only Moquette is available, outside CI.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttReadmeExampleIT {
  record Reading(String sensor, double celsius) {}

  @TempDir Path dir;

  @Test
  void theReadmeSnippetCollectsReadingsAndDeadLettersAGarbledOne() throws Exception {
    MqttBroker broker = Services.mqtt(MqttVersion.V5);
    String run = Long.toString(System.nanoTime());
    String clientId = "plant-collector-" + run;
    Path readings = dir.resolve("readings.jsonl");
    Path deadLetters = dir.resolve("dead-letters.jsonl");

    // --- README snippet ---
    MqttSourceConfig in =
        MqttSourceConfig.builder()
            .serverUri(broker.uri())
            .clientId(clientId) // stable: the broker keeps the session under it
            .subscribe("plant-" + run + "/+/telemetry", 1)
            .sessionExpiry(Duration.ofDays(7)) // MQTT 5: kept a week while the collector is away
            .build();
    Pipeline pipeline =
        Pipeline.from(Mqtt.source(in))
            .collect(Collector.json(Reading.class))
            .to(Sink.<Reading>jsonLines(readings))
            .deadLetters(DeadLetterSink.jsonLines(deadLetters))
            .commitInterval(Duration.ofMillis(50)) // acknowledgements go out with each commit
            .build();
    pipeline.start();
    // --- end of snippet ---

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Pipelines.awaitReady(pipeline);
    try (MqttTestClient publisher = MqttTestClient.publisher(broker)) {
      String topic = "plant-" + run + "/s1/telemetry";
      publisher.publish(topic, "{\"sensor\":\"s1\",\"celsius\":21.5}", 1, Map.of());
      publisher.publish(topic, "{\"sensor\":\"s1\",\"cel", 1, Map.of());
      publisher.publish(topic, "{\"sensor\":\"s1\",\"celsius\":21.7}", 1, Map.of());
    }
    while (pipeline.report().written() + pipeline.report().deadLettered() < 3
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(Files.readAllLines(readings)).hasSize(2).allMatch(l -> l.contains("\"s1\""));
    assertThat(Files.readAllLines(deadLetters)).hasSize(1);
    assertThat(report.received()).isEqualTo(3);
    assertThat(report.invariantHolds()).isTrue();
    MqttTestClient.cleanSession(broker, clientId);
  }
}
