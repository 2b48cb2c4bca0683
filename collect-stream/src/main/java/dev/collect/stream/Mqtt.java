package dev.collect.stream;

import dev.collect.core.Source;
import dev.collect.stream.internal.MqttSourceImpl;

/**
 * MQTT sources (HiveMQ MQTT client; MQTT 5 by default, MQTT 3.1.1 on request).
 *
 * <p>Delivery: at-least-once for QoS 1 and 2 with a persistent session: a message is acknowledged
 * to the broker only once the pipeline settled it and everything received before it, so a crash,
 * disconnect or restart makes the broker redeliver what was not settled. Under MQTT 5 the broker
 * keeps the session for {@link MqttSourceConfig.Builder#sessionExpiry} after a disconnect (default:
 * no expiry); past it, the session and what was queued for it are gone. The broker keeps only so
 * many messages for a client that is away or behind (Mosquitto: {@code max_queued_messages}, 1,000
 * by default) and silently drops the rest: raise that limit, and declare {@link
 * MqttSourceConfig.Builder#sequence} to have drops dead-lettered as {@link MessagesLostException}s.
 * QoS 0 messages are at-most-once by the protocol: one in the buffer when the process dies is lost.
 *
 * <p>Envelopes are keyed by topic, so messages of one topic keep their order. Headers: {@code
 * mqtt.topic}, {@code mqtt.qos}, {@code mqtt.retained}, and under MQTT 5 each user property under
 * its own name (the first value of a repeated name; never overriding the {@code mqtt.*} headers). A
 * {@code traceparent} user property in W3C form (and its {@code tracestate}) continues the sender's
 * trace in the pipeline's spans and dead letters; an invalid one is dropped.
 *
 * <p>Thread-safety: the source is driven by one pipeline; the client's threads only fill its
 * bounded buffer.
 */
public final class Mqtt {
  private Mqtt() {}

  /** A source subscribed to the configured topic filters; it connects when the pipeline opens. */
  public static Source<byte[]> source(MqttSourceConfig config) {
    return new MqttSourceImpl(config);
  }
}
