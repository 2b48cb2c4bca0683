package dev.collect.examples.iot;

import dev.collect.core.BatchPolicy;
import dev.collect.core.Collector;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Validator;
import dev.collect.examples.support.Await;
import dev.collect.examples.support.EmbeddedMqttBroker;
import dev.collect.stream.AnomalyMethod;
import dev.collect.stream.Mqtt;
import dev.collect.stream.MqttSourceConfig;
import dev.collect.stream.MqttVersion;
import dev.collect.stream.SeriesPoint;
import dev.collect.stream.TimeSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * IoT telemetry: sensors publish readings over MQTT (QoS 1); the pipeline parses and validates
 * them, fills the holes of each sensor's series with gap points ({@code is_gap}) and flags spikes
 * with a robust modified z-score, and writes the series as JSON lines. Garbled messages become dead
 * letters. Messages are acknowledged to the broker only once written or dead-lettered.
 *
 * <p>Starts an MQTT broker in this JVM unless {@code --broker tcp://host:1883} is given.
 *
 * <pre>
 * java -cp ... dev.collect.examples.iot.IotTelemetry [--sensors N] [--readings N] [--broker URI] [--out DIR]
 * </pre>
 */
public final class IotTelemetry {
  private IotTelemetry() {}

  /** What the example did and what the simulated fleet sent. */
  public record Result(
      RunReport report, int published, int expectedGaps, int spikes, long gaps, long anomalies) {}

  public static void main(String[] args) throws Exception {
    int sensors = 20;
    int readings = 500;
    String broker = null;
    Path out = Path.of("collect-out/iot");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sensors" -> sensors = Integer.parseInt(args[++i]);
        case "--readings" -> readings = Integer.parseInt(args[++i]);
        case "--broker" -> broker = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.out.println(
              "Usage: IotTelemetry [--sensors N, default 20] [--readings N per sensor, default 500]"
                  + " [--broker tcp://host:1883 (MQTT 5), default an embedded MQTT 3.1.1 broker]"
                  + " [--out DIR]");
          return;
        }
      }
    }
    Result result = run(sensors, readings, broker, out);
    System.out.print(result.report().toTable());
    System.out.printf(
        Locale.ROOT,
        "%nPublished %,d readings; %,d gap points (%,d expected), %,d anomalies (%,d spikes sent)"
            + "%nSeries in %s%n",
        result.published(),
        result.gaps(),
        result.expectedGaps(),
        result.anomalies(),
        result.spikes(),
        out.resolve("series.jsonl"));
  }

  /**
   * Publishes the fleet's readings and collects them; {@code broker} null starts an embedded one.
   */
  public static Result run(int sensors, int readings, String broker, Path out) throws Exception {
    Files.createDirectories(out);
    Path series = out.resolve("series.jsonl");
    Files.deleteIfExists(series);
    Files.deleteIfExists(out.resolve("dead-letters.jsonl"));
    try (EmbeddedMqttBroker embedded = broker == null ? EmbeddedMqttBroker.start() : null) {
      String serverUri = broker == null ? embedded.serverUri() : broker;
      SensorFleet fleet = new SensorFleet(sensors, readings);
      Pipeline pipeline =
          Pipeline.from(
                  Mqtt.source(
                      MqttSourceConfig.builder()
                          .serverUri(serverUri)
                          .clientId("iot-telemetry-collector")
                          // The embedded broker (Moquette) speaks MQTT 3.1.1 only.
                          .version(broker == null ? MqttVersion.V3_1_1 : MqttVersion.V5)
                          .subscribe("plant/+/telemetry", 1)
                          .build()))
              .collect(Collector.json(Reading.class))
              .validate(Validator.bean(Reading.class))
              .collect(
                  "series",
                  TimeSeries.<Reading>of(Reading::sensor, Reading::measuredAt, Reading::celsius)
                      .expectedInterval(SensorFleet.INTERVAL)
                      .anomalies(AnomalyMethod.MEDIAN_ABSOLUTE_DEVIATION, 60, 5.0)
                      .build())
              .to(Sink.<SeriesPoint<Reading>>jsonLines(series))
              .deadLetters(DeadLetterSink.jsonLines(out.resolve("dead-letters.jsonl")))
              .name("iot-telemetry")
              .workers(2)
              // A QoS 1 message is acknowledged at the commit after it settled, and the broker
              // sends only a small window of unacknowledged messages: commit often.
              .commitInterval(Duration.ofMillis(20))
              .batch(BatchPolicy.ofRecords(256).withLinger(Duration.ofMillis(2)))
              .build();
      pipeline.start();
      // Subscribed once ready: from here on the broker keeps our messages.
      Await.ready(pipeline, Duration.ofSeconds(30), "(is the broker reachable? see --broker)");
      fleet.publish(serverUri);
      RunReport report =
          Await.settledThenStop(
              pipeline, r -> r.sourceRecords() >= fleet.published(), Duration.ofMinutes(1));
      long gaps = 0;
      long anomalies = 0;
      for (String line : Files.readAllLines(series)) {
        gaps += line.contains("\"is_gap\":true") ? 1 : 0;
        anomalies += line.contains("\"anomaly\":true") ? 1 : 0;
      }
      return new Result(
          report,
          fleet.published(),
          fleet.gaps() + fleet.garbled(),
          fleet.spikes(),
          gaps,
          anomalies);
    }
  }
}
