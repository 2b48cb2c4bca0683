package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.collect.examples.metrics.PrometheusMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's defaults: the quickstart writes under {@code ./collect-out/} and prints a run report
 * (counts in, written, dead-lettered, rates, latency); the metrics example serves on port 9464.
 */
class ExamplesDefaultsTest {
  private static final Pattern ROW = Pattern.compile("(?m)^(\\S[^\\n]*?)\\s{2,}(\\S.*)$");

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void theQuickstartWritesUnderCollectOutAndPrintsTheRunReport() throws Exception {
    Path out = Path.of("collect-out"); // relative to the working directory, as in the README
    List<Path> files =
        List.of(
            out.resolve("quickstart-input.jsonl"),
            out.resolve("clicks.jsonl"),
            out.resolve("dead-letters.jsonl"));
    boolean outExisted = Files.exists(out);
    assumeTrue(
        files.stream().noneMatch(Files::exists),
        "a quickstart output is already in ./collect-out: not overwriting it");
    try {
      String printed = StandardOutput.of(() -> Quickstart.main(new String[] {"--records", "2000"}));

      assertThat(files).allMatch(Files::isRegularFile);
      long written = Files.readAllLines(out.resolve("clicks.jsonl")).size();
      long dead = Files.readAllLines(out.resolve("dead-letters.jsonl")).size();
      Map<String, String> table = rows(printed);
      assertThat(table)
          .containsEntry("received", "2,000")
          .containsEntry("written", String.format("%,d", written))
          .containsEntry("dead-lettered", String.format("%,d", dead))
          .containsEntry("filtered", "0")
          .containsEntry("in flight", "0") // with written + dead = received: the invariant holds
          .containsKeys("records/s", "latency p50 / p99");
      assertThat(written + dead).isEqualTo(2_000);
      assertThat(dead).isPositive();
      assertThat(table.get("records/s")).matches("[0-9,]+");
      assertThat(table.get("latency p50 / p99")).matches("[0-9.]+ ms / [0-9.]+ ms");
    } finally {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
      if (!outExisted) {
        Files.deleteIfExists(out);
      }
    }
  }

  @Test
  @Timeout(180)
  void theMetricsExampleServesOnPort9464ByDefault() throws Exception {
    assumeTrue(free(9464), "port 9464 is in use on this machine");
    AtomicReference<Throwable> failed = new AtomicReference<>();
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    Thread main =
        new Thread(
            () -> {
              try {
                PrometheusMetrics.main(
                    new String[] {"--events", "500", "--seconds", "120", "--out", dir.toString()});
              } catch (InterruptedException e) {
                // stopped by the test, as Ctrl-C would
              } catch (Throwable e) {
                failed.set(e);
              }
            },
            "metrics-main");
    HttpResponse<String> response;
    try {
      main.start();
      response = scrapeWhenServing(main, printed);
    } finally {
      main.interrupt();
      main.join(30_000);
      System.setOut(stdout);
    }

    assertThat(failed.get()).isNull();
    assertThat(response).isNotNull();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("collect_records_received_total");
    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("Serving the collect.* meters at http://localhost:9464/metrics");
    Map<String, String> table = rows(output);
    assertThat(table).containsEntry("received", "500").containsEntry("in flight", "0");
    assertThat(main.isAlive()).isFalse();
    assertThat(free(9464)).isTrue(); // closed with the example
  }

  /** Scrapes once the example says it serves (its pipeline settled and its report printed). */
  private static HttpResponse<String> scrapeWhenServing(Thread main, ByteArrayOutputStream printed)
      throws Exception {
    while (main.isAlive()) {
      if (printed.toString(StandardCharsets.UTF_8).contains("Serving the collect.* meters")) {
        return HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:9464/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
      }
      Thread.sleep(100);
    }
    return null;
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The run report's rows: label to value. */
  private static Map<String, String> rows(String printed) {
    Map<String, String> rows = new TreeMap<>();
    Matcher m = ROW.matcher(printed);
    while (m.find()) {
      rows.putIfAbsent(m.group(1).trim(), m.group(2).trim());
    }
    return rows;
  }
}
