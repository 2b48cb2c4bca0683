package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.collect.core.Collector;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's "mount it in your own server" snippet, as written there (port 0, a temp file). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookReadmeExampleIT {
  record Click(String user, String page) {}

  @TempDir Path dir;

  @Test
  void theReadmeSnippetReceivesASignedClickIntoTheFile() throws Exception {
    byte[] secret = "0123456789abcdef-readme-secret".getBytes(StandardCharsets.UTF_8);
    Path clicks = dir.resolve("clicks.jsonl");

    // --- README snippet ---
    WebhookSource source = Webhook.mounted(WebhookSourceConfig.builder().secret(secret).build());
    Pipeline pipeline =
        Pipeline.from(source)
            .collect(Collector.json(Click.class))
            .to(Sink.<Click>jsonLines(clicks))
            .build();
    pipeline.start(); // opens the source; until then the handler answers 503

    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    server.setExecutor(threads);
    server.createContext("/hooks/clicks", source.httpHandler());
    server.start();
    // --- end of snippet ---

    while (!pipeline.isReady()) {
      Thread.sleep(10);
    }
    String body = "{\"user\":\"u1\",\"page\":\"/home\"}";
    long now = Instant.now().getEpochSecond();
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/clicks"))
                    .header(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(now))
                    .header(
                        WebhookSignature.SIGNATURE_HEADER,
                        WebhookSignature.sign(secret, now, body.getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    // --- README snippet: shutdown ---
    boolean drained = source.drain(Duration.ofSeconds(30)); // 503 from now on
    RunReport report = pipeline.stop(Duration.ofSeconds(30));
    server.stop(0);
    threads.shutdown();
    // --- end of snippet ---

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(drained).isTrue();
    assertThat(Files.readAllLines(clicks))
        .hasSize(1)
        .allSatisfy(
            line -> assertThat(line).contains("\"user\":\"u1\"").contains("\"page\":\"/home\""));
    assertThat(report.received()).isEqualTo(1);
    assertThat(report.written()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
  }
}
