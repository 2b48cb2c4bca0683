package dev.collect.stream;

import dev.collect.core.Envelope;
import dev.collect.core.Source;
import dev.collect.core.contract.SourceContract;
import dev.collect.stream.support.Services;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link Mqtt#source} on the local Mosquitto, QoS 1, a persistent session per test: a commit
 * acknowledges, and the broker redelivers what was not acknowledged to the next instance.
 */
class MqttSourceContractIT extends SourceContract<byte[]> {
  private String uri;
  private String topic;
  private String clientId;

  @BeforeEach
  void names() {
    uri = Services.mqttUri();
    String run = Long.toString(System.nanoTime());
    topic = "collect/contract/" + run;
    clientId = "collect-contract-" + run;
  }

  @AfterEach
  void dropSession() throws Exception {
    MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
    MqttConnectOptions clean = new MqttConnectOptions();
    clean.setCleanSession(true);
    client.connect(clean);
    client.disconnect();
    client.close();
  }

  @Override
  protected boolean inputArrivesAfterOpen() {
    return true;
  }

  @Override
  protected void write(List<String> ids) throws Exception {
    MqttClient publisher =
        new MqttClient(uri, "collect-contract-pub-" + System.nanoTime(), new MemoryPersistence());
    publisher.connect();
    for (String id : ids) {
      MqttMessage message = new MqttMessage(id.getBytes(StandardCharsets.UTF_8));
      message.setQos(1);
      publisher.publish(topic, message);
    }
    publisher.disconnect();
    publisher.close();
  }

  @Override
  protected Source<byte[]> newSource() {
    return Mqtt.source(
        MqttSourceConfig.builder().serverUri(uri).clientId(clientId).subscribe(topic, 1).build());
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
    return Duration.ofSeconds(1); // Mosquitto redelivers unacknowledged messages in ~0.3 s
  }
}
