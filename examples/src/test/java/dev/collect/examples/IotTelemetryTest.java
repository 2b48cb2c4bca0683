package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.examples.iot.IotTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class IotTelemetryTest {

  @TempDir Path dir;

  @Test
  void everyHoleBecomesAGapPointAndEverySpikeAnAnomaly() throws Exception {
    IotTelemetry.Result result = IotTelemetry.run(6, 300, null, dir);

    assertThat(result.report().invariantHolds()).isTrue();
    assertThat(result.report().sourceRecords()).isEqualTo(result.published());
    assertThat(result.report().deadLettered()).isPositive();
    assertThat(result.gaps()).isEqualTo(result.expectedGaps()).isPositive();
    assertThat(result.anomalies()).isGreaterThanOrEqualTo(result.spikes()).isPositive();
    // a robust detector on a smooth signal: hardly any false alarms
    assertThat(result.anomalies() - result.spikes()).isLessThanOrEqualTo(result.published() / 500);
    assertThat(Files.readAllLines(dir.resolve("dead-letters.jsonl")))
        .hasSize((int) result.report().deadLettered())
        .allMatch(l -> l.contains("plant/sensor-"));
  }
}
