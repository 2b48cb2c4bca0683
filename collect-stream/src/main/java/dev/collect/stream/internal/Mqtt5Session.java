package dev.collect.stream.internal;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.Mqtt5ReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import dev.collect.stream.MqttSourceConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;

/** MQTT 5: a session expiry interval, and user properties (the trace context among them). */
final class Mqtt5Session implements MqttSession {
  private final Mqtt5AsyncClient client;
  private final MqttSourceConfig config;

  Mqtt5Session(Mqtt5Client client, MqttSourceConfig config, Subscriber<Incoming> flow) {
    this.client = client.toAsync();
    this.config = config;
    client
        .toRx()
        .publishes(MqttGlobalPublishFilter.ALL, true)
        .map(Mqtt5Session::incoming)
        .subscribe(flow);
  }

  @Override
  public CompletableFuture<?> connect(int keepAliveSeconds, byte[] password) {
    var connect =
        client
            .connectWith()
            .cleanStart(config.cleanSession())
            .sessionExpiryInterval(config.sessionExpiry().toSeconds())
            .keepAlive(keepAliveSeconds);
    if (config.username() != null) {
      connect =
          connect.simpleAuth().username(config.username()).password(password).applySimpleAuth();
    }
    return connect.send();
  }

  @Override
  public CompletableFuture<SubAck> subscribe(Map<String, Integer> filters) {
    var subscriptions =
        MqttSession.subscriptions(
            filters,
            (filter, qos) -> Mqtt5Subscription.builder().topicFilter(filter).qos(qos).build());
    return client
        .subscribe(Mqtt5Subscribe.builder().addSubscriptions(subscriptions).build())
        .thenApply(a -> SubAck.of(a.getReasonCodes(), Mqtt5ReasonCode::isError));
  }

  @Override
  public CompletableFuture<Void> disconnect() {
    // Keeps the session for its expiry interval: unacknowledged messages come back.
    return client.disconnect();
  }

  private static Incoming incoming(Mqtt5Publish p) {
    Map<String, String> properties = Map.of();
    List<? extends Mqtt5UserProperty> list = p.getUserProperties().asList();
    if (!list.isEmpty()) {
      Map<String, String> all = new HashMap<>();
      for (Mqtt5UserProperty property : list) {
        all.putIfAbsent(property.getName().toString(), property.getValue().toString());
      }
      properties = all;
    }
    return new Incoming(
        p.getTopic().toString(),
        p.getPayloadAsBytes(),
        p.getQos().getCode(),
        p.isRetain(),
        properties,
        p::acknowledge);
  }
}
