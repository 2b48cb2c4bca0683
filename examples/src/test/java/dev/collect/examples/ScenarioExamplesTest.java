package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.RunReport;
import dev.collect.examples.fraud.FraudDetection;
import dev.collect.examples.recommend.RecommendationInteractions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

  /** README: "view 1, click 2, add to cart 3, purchase 5, rating = value". */
  @Test
  void eachTrainingRowsWeightIsThatOfItsInteractionType() throws Exception {
    RunReport report = RecommendationInteractions.run(5_000, dir);

    assertThat(report.invariantHolds()).isTrue();
    ObjectMapper mapper = new ObjectMapper();
    Map<String, JsonNode> inputByTimestamp = new HashMap<>(); // one interaction per second
    for (String line : Files.readAllLines(dir.resolve("interactions.jsonl"))) {
      JsonNode in = mapper.readTree(line);
      inputByTimestamp.put(in.get("timestamp").asText(), in);
    }
    Map<String, Set<Double>> weightsByType = new TreeMap<>();
    for (String line : Files.readAllLines(dir.resolve("training.jsonl"))) {
      JsonNode row = mapper.readTree(line);
      JsonNode in = inputByTimestamp.get(row.get("timestamp").asText());
      String type = in.get("type").asText();
      double expected =
          switch (type) {
            case "view" -> 1;
            case "click" -> 2;
            case "add_to_cart" -> 3;
            case "purchase" -> 5;
            case "rating" -> in.get("rating").asDouble();
            default -> throw new AssertionError(type);
          };
      assertThat(row.get("weight").asDouble()).as(line).isEqualTo(expected);
      weightsByType.computeIfAbsent(type, k -> new TreeSet<>()).add(expected);
    }
    assertThat(weightsByType)
        .containsOnlyKeys("view", "click", "add_to_cart", "purchase", "rating")
        .containsEntry("rating", Set.of(1.0, 2.0, 3.0, 4.0, 5.0));
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
