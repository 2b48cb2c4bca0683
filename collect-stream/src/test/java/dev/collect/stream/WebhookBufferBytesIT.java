package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The webhook's {@code buffer} default of 16 MiB: once the events waiting for the pipeline hold
 * that many bytes, a request gets 429 with {@code Retry-After}, well before the 10,000-event bound.
 * The source is opened without a pipeline, so nothing takes events from its buffer until the test
 * polls.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookBufferBytesIT {
  /** An event's bytes in the buffer: the body, plus 96 for the envelope (no headers). */
  private static final int BODY = 100_000;

  private static final long PER_EVENT = 96 + BODY;

  @Test
  void aFullBufferOfSixteenMebibytesAnswers429() throws Exception {
    WebhookSourceConfig config = WebhookSourceConfig.builder().port(0).build();
    WebhookSource source = Webhook.source(config);
    String body = "{\"p\":\"" + "x".repeat(BODY - 8) + "\"}";
    assertThat(body).hasSize(BODY);
    HttpClient client = HttpClient.newHttpClient();
    int accepted = 0;
    HttpResponse<String> refused = null;
    HttpResponse<String> afterPoll;
    List<Envelope<byte[]>> taken;

    source.open(new PipelineContext("buffer", new SimpleMeterRegistry(), null));
    try {
      HttpRequest request =
          HttpRequest.newBuilder(source.endpoint())
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      for (int i = 0; i < 1_000 && refused == null; i++) {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 202) {
          accepted++;
        } else {
          refused = r;
        }
      }
      taken = source.poll(1, Duration.ofSeconds(5));
      afterPoll = client.send(request, HttpResponse.BodyHandlers.ofString());
    } finally {
      source.close();
    }

    assertThat(config.bufferBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(refused).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    assertThat((long) accepted).isEqualTo(16L * 1024 * 1024 / PER_EVENT);
    assertThat(taken).singleElement().satisfies(e -> assertThat(e.raw()).hasSize(BODY));
    assertThat(afterPoll.statusCode()).as("one event taken makes room for one").isEqualTo(202);
  }
}
