package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.RunReport;
import dev.collect.examples.fraud.FraudDetection;
import dev.collect.examples.recommend.RecommendationInteractions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ScenarioExamplesTest {

  @TempDir Path dir;

  @Test
  void recommendationRowsCarryImplicitFeedbackWeights() throws Exception {
    RunReport report = RecommendationInteractions.run(5_000, dir);

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.deadLettered()).isPositive();
    List<String> rows = Files.readAllLines(dir.resolve("training.jsonl"));
    assertThat(rows).hasSize((int) report.written());
    assertThat(rows).allMatch(r -> r.matches(".*\"weight\":(1|2|3|4|5)\\.0.*"));
    assertThat(String.join("\n", rows))
        .doesNotContain("\"user\":\"u")
        .contains("\"location\":\"192.168.");
  }

  @Test
  void fraudTrainingDataKeepsEveryFraudAndWeightsSampledNegatives() throws Exception {
    RunReport report = FraudDetection.run(4_000, 20_000, dir);

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.filtered()).isPositive();
    List<String> rows = Files.readAllLines(dir.resolve("training.jsonl"));
    long frauds = rows.stream().filter(r -> r.contains("\"fraud\":true")).count();
    long labelled =
        Files.readAllLines(dir.resolve("labels.csv")).stream()
            .filter(l -> l.endsWith(",true"))
            .count();
    assertThat(frauds).isEqualTo(labelled);
    assertThat(rows.stream().filter(r -> r.contains("\"fraud\":false")))
        .allMatch(r -> r.contains("\"samplingWeight\":10.0"));
  }
}
