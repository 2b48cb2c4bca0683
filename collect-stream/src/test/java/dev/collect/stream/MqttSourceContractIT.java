package dev.collect.stream;

import dev.collect.core.Envelope;
import dev.collect.core.Source;
import dev.collect.core.contract.SourceContract;
import dev.collect.stream.support.MqttTestClient;
import dev.collect.stream.support.Services;
import dev.collect.stream.support.Services.MqttBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link Mqtt#source} on the test broker ({@link Services#mqtt()}: MQTT 5 on Mosquitto, 3.1.1 on
 * Moquette), QoS 1, a persistent session per test: a commit acknowledges, and the broker redelivers
 * what was not acknowledged to the next instance.
 */
class MqttSourceContractIT extends SourceContract<byte[]> {
  private MqttBroker broker;
  private String topic;
  private String clientId;

  @BeforeEach
  void names() {
    broker = Services.mqtt();
    String run = Long.toString(System.nanoTime());
    topic = "collect/contract/" + run;
    clientId = "collect-contract-" + run;
  }

  @AfterEach
  void dropSession() {
    MqttTestClient.cleanSession(broker, clientId);
  }

  @Override
  protected boolean inputArrivesAfterOpen() {
    return true;
  }

  @Override
  protected void write(List<String> ids) throws Exception {
    try (MqttTestClient publisher = MqttTestClient.publisher(broker)) {
      for (String id : ids) {
        publisher.publish(topic, id, 1, Map.of());
      }
    }
  }

  @Override
  protected Source<byte[]> newSource() {
    return Mqtt.source(
        MqttSourceConfig.builder()
            .serverUri(broker.uri())
            .clientId(clientId)
            .version(broker.version())
            .subscribe(topic, 1)
            .build());
  }

  @Override
  protected String idOf(Envelope<byte[]> envelope) {
    return new String(envelope.value(), StandardCharsets.UTF_8);
  }

  @Override
  protected boolean isBounded() {
    return false;
  }

  @Override
  protected Duration quietPeriod() {
    // Mosquitto redelivers unacknowledged messages in ~0.3 s, Moquette in ~5 s.
    return broker.mqtt5() ? Duration.ofSeconds(1) : Duration.ofSeconds(7);
  }
}
