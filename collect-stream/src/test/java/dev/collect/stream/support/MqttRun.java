package dev.collect.stream.support;

import dev.collect.stream.MqttSourceConfig;

/**
 * The topic and client id of one test run, unique so that runs never share a broker session.
 *
 * @param id what makes the names unique
 * @param topic {@code collect/it/<name>/<id>}
 * @param clientId {@code collect-it-<name>-<id>}
 */
public record MqttRun(String id, String topic, String clientId) {

  public static MqttRun named(String name) {
    String id = Long.toString(System.nanoTime());
    return new MqttRun(id, "collect/it/" + name + "/" + id, "collect-it-" + name + "-" + id);
  }

  /** A source of this run's client id on {@code serverUri}, subscribed to its topic at QoS 1. */
  public MqttSourceConfig.Builder sourceConfig(String serverUri) {
    return MqttSourceConfig.builder().serverUri(serverUri).clientId(clientId).subscribe(topic, 1);
  }
}
