package dev.collect.stream.internal;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import dev.collect.stream.MqttSourceConfig;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;

/** MQTT 3.1.1: a session kept or cleaned, no user properties. */
final class Mqtt3Session implements MqttSession {
  private final Mqtt3AsyncClient client;
  private final MqttSourceConfig config;

  Mqtt3Session(Mqtt3Client client, MqttSourceConfig config, Subscriber<Incoming> flow) {
    this.client = client.toAsync();
    this.config = config;
    client
        .toRx()
        .publishes(MqttGlobalPublishFilter.ALL, true)
        .map(Mqtt3Session::incoming)
        .subscribe(flow);
  }

  @Override
  public CompletableFuture<?> connect(int keepAliveSeconds, byte[] password) {
    var connect =
        client.connectWith().cleanSession(config.cleanSession()).keepAlive(keepAliveSeconds);
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
            (filter, qos) -> Mqtt3Subscription.builder().topicFilter(filter).qos(qos).build());
    return client
        .subscribe(Mqtt3Subscribe.builder().addSubscriptions(subscriptions).build())
        .thenApply(a -> SubAck.of(a.getReturnCodes(), Mqtt3SubAckReturnCode::isError));
  }

  @Override
  public CompletableFuture<Void> disconnect() {
    return client.disconnect();
  }

  private static Incoming incoming(Mqtt3Publish p) {
    return new Incoming(
        p.getTopic().toString(),
        p.getPayloadAsBytes(),
        p.getQos().getCode(),
        p.isRetain(),
        Map.of(),
        p::acknowledge);
  }
}
