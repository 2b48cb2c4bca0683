package dev.collect.examples.iot;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Simulated sensors publishing one reading a minute (in simulated time) each, with deliberate
 * faults: readings that never arrive (gaps), spikes (anomalies) and garbled messages. Deterministic
 * for a seed, so a test knows what to expect.
 */
final class SensorFleet {
  static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");

  private final int sensors;
  private final int readingsPerSensor;
  private int published;
  private int gaps;
  private int spikes;
  private int garbled;

  SensorFleet(int sensors, int readingsPerSensor) {
    this.sensors = sensors;
    this.readingsPerSensor = readingsPerSensor;
  }

  static String topic(int sensor) {
    return "plant/sensor-" + sensor + "/telemetry";
  }

  /** A reading that is missing: never first or last, so the hole is visible between two. */
  boolean dropped(int sensor, int i) {
    return i > 0 && i < readingsPerSensor - 1 && (i + 3 * sensor) % 50 == 0;
  }

  /** A spike, after the detector has seen enough of the series to judge it. */
  boolean spike(int sensor, int i) {
    return i >= 40 && (i + 7 * sensor) % 61 == 30 && !dropped(sensor, i);
  }

  /** A garbled message: dead-lettered, so the series sees a hole there too. */
  boolean garbledMessage(int sensor, int i) {
    return i > 0
        && i < readingsPerSensor - 1
        && (i + 11 * sensor) % 199 == 5
        && !dropped(sensor, i)
        && !spike(sensor, i);
  }

  /**
   * Publishes every sensor's readings round-robin, QoS 1, and returns when all were acknowledged.
   */
  void publish(String serverUri) throws MqttException {
    SplittableRandom noise = new SplittableRandom(7);
    MqttClient client =
        new MqttClient(serverUri, "sensor-fleet-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setMaxInflight(1_000);
    client.connect(options);
    try {
      for (int i = 0; i < readingsPerSensor; i++) {
        for (int s = 0; s < sensors; s++) {
          if (dropped(s, i)) {
            gaps++;
            continue;
          }
          // A slow daily swing under sensor noise; a spike is 50 standard deviations high.
          double celsius = 21 + 1.5 * Math.sin(i / 240.0 + s) + noise.nextGaussian() * 0.3;
          if (spike(s, i)) {
            celsius += 15;
            spikes++;
          }
          String json =
              String.format(
                  Locale.ROOT,
                  "{\"sensor\":\"sensor-%d\",\"measured_at\":\"%s\",\"celsius\":%.3f}",
                  s,
                  START.plus(INTERVAL.multipliedBy(i)),
                  celsius);
          if (garbledMessage(s, i)) {
            json = json.substring(0, json.length() / 2);
            garbled++;
          }
          client.publish(topic(s), json.getBytes(StandardCharsets.UTF_8), 1, false);
          published++;
        }
      }
    } finally {
      client.disconnect();
      client.close();
    }
  }

  int published() {
    return published;
  }

  int gaps() {
    return gaps;
  }

  int spikes() {
    return spikes;
  }

  int garbled() {
    return garbled;
  }
}
