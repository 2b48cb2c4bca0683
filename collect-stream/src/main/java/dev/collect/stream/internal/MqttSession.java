package dev.collect.stream.internal;

import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import dev.collect.stream.MqttSourceConfig;
import dev.collect.stream.MqttVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.reactivestreams.Subscriber;

/**
 * The HiveMQ client of an {@link MqttSourceImpl}, for the part that differs between MQTT 5 and
 * 3.1.1: the connect and subscribe messages, and reading a received message. Every received message
 * goes to the flow given at creation, which is subscribed before connecting (a persistent session
 * may deliver queued messages at once); messages are acknowledged manually, through {@link
 * Incoming#ack()}.
 */
interface MqttSession {

  /** A received message, whichever the protocol version. */
  record Incoming(
      String topic,
      byte[] payload,
      int qos,
      boolean retained,
      Map<String, String> properties,
      Runnable ack) {}

  /** The broker's answer to a subscribe message: its codes, and whether any refuses a filter. */
  record SubAck(List<?> codes, boolean refused) {
    static <C> SubAck of(List<C> codes, Predicate<? super C> isError) {
      return new SubAck(codes, codes.stream().anyMatch(isError));
    }
  }

  /**
   * A session of the client {@code builder} describes, speaking {@code config.version()}; its
   * received messages go to {@code flow}.
   */
  static MqttSession of(
      MqttClientBuilder builder, MqttSourceConfig config, Subscriber<Incoming> flow) {
    return config.version() == MqttVersion.V5
        ? new Mqtt5Session(builder.useMqttVersion5().build(), config, flow)
        : new Mqtt3Session(builder.useMqttVersion3().build(), config, flow);
  }

  /** One subscription per filter at its QoS, each made by {@code subscription}. */
  static <S> Stream<S> subscriptions(
      Map<String, Integer> filters, BiFunction<String, MqttQos, S> subscription) {
    return filters.entrySet().stream()
        .map(f -> subscription.apply(f.getKey(), MqttQos.fromCode(f.getValue())));
  }

  /** Sends the connect message: the configured session, user name and password. */
  CompletableFuture<?> connect(int keepAliveSeconds, byte[] password);

  /** Subscribes to every filter at its QoS. */
  CompletableFuture<SubAck> subscribe(Map<String, Integer> filters);

  /**
   * Disconnects, which also stops reconnecting; a session that is not clean stays with the broker.
   */
  CompletableFuture<Void> disconnect();
}
