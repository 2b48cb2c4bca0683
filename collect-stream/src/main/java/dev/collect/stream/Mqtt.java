package dev.collect.stream;

import dev.collect.core.Source;
import dev.collect.stream.internal.MqttSourceImpl;

/**
 * MQTT sources (Eclipse Paho, MQTT 3.1.1).
 *
 * <p>Delivery: at-least-once for QoS 1 and 2 with a persistent session: a message is acknowledged
 * to the broker only once the pipeline settled it and everything received before it, so a crash,
 * disconnect or restart makes the broker redeliver what was not settled (marked {@code
 * mqtt.duplicate=true}). The broker keeps only so many messages for a client that is away or behind
 * (Mosquitto: {@code max_queued_messages}, 1,000 by default) and silently drops the rest: raise
 * that limit, and declare {@link MqttSourceConfig.Builder#sequence} to have drops dead-lettered as
 * {@link MessagesLostException}s. QoS 0 messages are at-most-once by the protocol: one in the
 * buffer when the process dies is lost. Envelopes are keyed by topic, so messages of one topic keep
 * their order; headers carry {@code mqtt.topic}, {@code mqtt.qos}, {@code mqtt.retained} and {@code
 * mqtt.duplicate}.
 */
public final class Mqtt {
  private Mqtt() {}

  /** A source subscribed to the configured topic filters; it connects when the pipeline opens. */
  public static Source<byte[]> source(MqttSourceConfig config) {
    return new MqttSourceImpl(config);
  }
}
