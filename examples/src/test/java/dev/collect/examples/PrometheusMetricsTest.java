package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.examples.metrics.PrometheusMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard cannot drift from the meters: every {@code collect_*} metric its queries
 * name is served by the Prometheus example's endpoint after a run.
 */
@Timeout(180)
class PrometheusMetricsTest {
  private static final Pattern METRIC = Pattern.compile("\\bcollect_[a-z_]+");

  @TempDir Path dir;

  /** The metric names in the dashboard's panel queries and template variables. */
  static Set<String> dashboardMetrics() throws Exception {
    JsonNode dashboard =
        new ObjectMapper().readTree(Path.of("grafana/collect-dashboard.json").toFile());
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        queries.add(target.get("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.get("templating").get("list")) {
      if (variable.has("definition")) {
        queries.add(variable.get("definition").asText());
      }
    }
    Set<String> names = new TreeSet<>();
    for (String query : queries) {
      Matcher m = METRIC.matcher(query);
      while (m.find()) {
        names.add(m.group());
      }
    }
    return names;
  }

  @Test
  void theEndpointServesEveryMetricTheDashboardQueries() throws Exception {
    Set<String> wanted = dashboardMetrics();

    String scrape;
    try (PrometheusMetrics metrics = PrometheusMetrics.start(0, 2_000, null, dir)) {
      assertThat(metrics.report().invariantHolds()).isTrue();
      assertThat(metrics.report().deadLettered()).isPositive();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      scrape = response.body();
    }

    Set<String> served = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.startsWith("#")) {
        Matcher m = METRIC.matcher(line);
        if (m.lookingAt()) {
          served.add(m.group());
        }
      }
    }
    assertThat(wanted)
        .contains(
            "collect_records_received_total",
            "collect_records_dead_lettered_total",
            "collect_end_to_end_latency_seconds",
            "collect_buffer_fill",
            "collect_quality_score",
            "collect_source_lag_records");
    assertThat(served).containsAll(wanted);
  }
}
