package dev.collect.examples.iot;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Simulated sensors publishing one reading a minute (in simulated time) each, with deliberate
 * faults: readings that never arrive (gaps), spikes (anomalies) and garbled messages. Deterministic
 * for a seed, so a test knows what to expect.
 */
final class SensorFleet {
  static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

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
  void publish(String serverUri) {
    SplittableRandom noise = new SplittableRandom(7);
    URI uri = URI.create(serverUri);
    // MQTT 3.1.1, which every broker speaks (the embedded one has no MQTT 5).
    Mqtt3AsyncClient client =
        Mqtt3Client.builder()
            .identifier("sensor-fleet-" + System.nanoTime())
            .serverHost(uri.getHost())
            .serverPort(uri.getPort())
            .buildAsync();
    client.connectWith().cleanSession(true).send().orTimeout(30, TimeUnit.SECONDS).join();
    List<CompletableFuture<?>> acknowledged = new ArrayList<>();
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
          acknowledged.add(
              client
                  .publishWith()
                  .topic(topic(s))
                  .payload(json.getBytes(StandardCharsets.UTF_8))
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .send());
          published++;
        }
      }
      awaitAcknowledgements(acknowledged);
    } finally {
      client.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }

  /**
   * Waits a bounded time for the broker's acknowledgements, so a broker that stops acknowledging
   * fails the run with a count instead of hanging it ({@code join} would ignore interrupts).
   */
  private static void awaitAcknowledgements(List<CompletableFuture<?>> acknowledged) {
    try {
      CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new))
          .get(ACK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      long done = acknowledged.stream().filter(CompletableFuture::isDone).count();
      throw new IllegalStateException(
          "the broker acknowledged "
              + done
              + " of "
              + acknowledged.size()
              + " QoS 1 publishes within "
              + ACK_TIMEOUT.toSeconds()
              + " s; is it overloaded or refusing the client?",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for acknowledgements", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a publish failed: " + e.getCause(), e.getCause());
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
