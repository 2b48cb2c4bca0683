package dev.collect.stream.support;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A publishing MQTT client for the tests (HiveMQ client, MQTT 5 where the broker speaks it). */
public final class MqttTestClient implements AutoCloseable {
  private final Mqtt5BlockingClient v5;
  private final Mqtt3BlockingClient v3;

  private MqttTestClient(Mqtt5BlockingClient v5, Mqtt3BlockingClient v3) {
    this.v5 = v5;
    this.v3 = v3;
  }

  /** A connected publisher with a fresh client id. */
  public static MqttTestClient publisher(Services.MqttBroker broker) {
    return connect(broker, "collect-it-pub-" + System.nanoTime());
  }

  private static MqttTestClient connect(Services.MqttBroker broker, String clientId) {
    URI uri = URI.create(broker.uri());
    MqttClientBuilder builder =
        MqttClient.builder()
            .identifier(clientId)
            .serverHost(uri.getHost())
            .serverPort(uri.getPort());
    if (broker.mqtt5()) {
      Mqtt5BlockingClient client = builder.useMqttVersion5().buildBlocking();
      client.connectWith().cleanStart(true).noSessionExpiry().send();
      return new MqttTestClient(client, null);
    }
    Mqtt3BlockingClient client = builder.useMqttVersion3().buildBlocking();
    client.connectWith().cleanSession(true).send();
    return new MqttTestClient(null, client);
  }

  /** Removes the broker's persistent session of {@code clientId}. */
  public static void cleanSession(Services.MqttBroker broker, String clientId) {
    connect(broker, clientId).close();
  }

  /** Publishes {@code count} messages {@code prefix0, prefix1...}, each acknowledged. */
  public void publish(String topic, int count, int qos, String prefix) {
    for (int i = 0; i < count; i++) {
      publish(topic, prefix + i, qos, Map.of());
    }
  }

  /** Publishes one message with MQTT 5 user properties (none under MQTT 3.1.1). */
  public void publish(String topic, String payload, int qos, Map<String, String> properties) {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    if (v5 != null) {
      Mqtt5UserPropertiesBuilder user = Mqtt5UserProperties.builder();
      properties.forEach(user::add);
      v5.publishWith()
          .topic(topic)
          .payload(bytes)
          .qos(MqttQos.fromCode(qos))
          .userProperties(user.build())
          .send();
    } else {
      if (!properties.isEmpty()) {
        throw new IllegalStateException("user properties need MQTT 5");
      }
      v3.publishWith().topic(topic).payload(bytes).qos(MqttQos.fromCode(qos)).send();
    }
  }

  @Override
  public void close() {
    if (v5 != null) {
      v5.disconnect();
    } else {
      v3.disconnect();
    }
  }
}
