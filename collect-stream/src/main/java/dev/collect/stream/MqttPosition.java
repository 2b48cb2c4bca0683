package dev.collect.stream;

import dev.collect.core.Position;
import java.util.Map;

/**
 * Where an MQTT message was received: its arrival sequence in this source instance, its topic and
 * QoS. Committing a position acknowledges (PUBACK, or PUBREC for QoS 2) every message of QoS 1 or 2
 * received up to and including it. A record of lost messages ({@link MessagesLostException}) has a
 * sequence of its own and QoS 0. Immutable.
 *
 * @param sequence the arrival order, from 0 when the source opened
 * @param topic the topic the message was published to
 * @param qos the QoS the message was delivered with
 */
public record MqttPosition(long sequence, String topic, int qos) implements Position {
  @Override
  public Map<String, Object> describe() {
    return Map.of("sequence", sequence, "topic", topic, "qos", qos);
  }
}
