package dev.collect.stream;

/** The MQTT protocol version an MQTT source speaks to its broker. */
public enum MqttVersion {
  /** MQTT 3.1.1: persistent sessions live until a clean session; no user properties. */
  V3_1_1,
  /** MQTT 5: session expiry interval, user properties as headers, trace context. */
  V5
}
