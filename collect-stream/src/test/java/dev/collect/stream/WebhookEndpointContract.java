package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.BatchPolicy;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.RawHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The webhook protocol as every server carrying it must answer: the built-in server ({@link
 * Webhook#source}), the JDK {@code HttpServer} with {@link WebhookSource#httpHandler()} and a
 * servlet container with {@link WebhookServlet}. One set of cases, run against each, so the three
 * cannot drift apart: signatures and replays, size limits, malformed bodies, methods, 429 with
 * nothing lost, 503 while draining, and the trace context headers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class WebhookEndpointContract {
  static final byte[] SECRET = "0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  final HttpClient client = HttpClient.newHttpClient();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  Pipeline pipeline;
  WebhookSource source;
  URI endpoint;

  /** The source under test, built from {@code config} (its port is 0). */
  protected abstract WebhookSource newSource(WebhookSourceConfig config);

  /** Serves {@code source} (already opened by its pipeline); returns the events endpoint. */
  protected abstract URI serve(WebhookSource source) throws Exception;

  /** Stops what {@link #serve} started. */
  protected void stopServing() throws Exception {}

  @AfterEach
  void stop() throws Exception {
    if (pipeline != null) {
      pipeline.stop(Duration.ofSeconds(10));
    }
    stopServing();
  }

  void start(WebhookSourceConfig.Builder config, Sink<byte[]> sink) throws Exception {
    source = newSource(config.port(0).build());
    pipeline =
        Pipeline.from(source)
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .metrics(meters)
            .queueCapacity(8, 1024 * 1024)
            .batch(BatchPolicy.ofRecords(4).withLinger(Duration.ofMillis(5)))
            .build();
    pipeline.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!pipeline.isReady() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    endpoint = serve(source);
  }

  HttpResponse<String> post(String body, long timestamp, String signature) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header(WebhookSignature.SIGNATURE_HEADER, signature);
      request.header(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(timestamp));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String body) throws Exception {
    return post(body, 0, null);
  }

  HttpResponse<String> signedPost(String body) throws Exception {
    long now = Instant.now().getEpochSecond();
    return post(body, now, WebhookSignature.sign(SECRET, now, body.getBytes()));
  }

  private double responses(int status) {
    var counter =
        meters.find("collect.webhook.responses").tag("status", String.valueOf(status)).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void acceptsSingleEventsArraysAndNdjsonWithGoodSignatures() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder().secret(SECRET), sink);

    HttpResponse<String> single = signedPost("{\"id\":1}");
    HttpResponse<String> array = signedPost("[{\"id\":2}, {\"id\":3,\"n\":[1]}]");
    HttpResponse<String> ndjson = signedPost("{\"id\":4}\n{\"id\":5}\n");
    assertThat(sink.awaitSize(5, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(single.statusCode()).isEqualTo(202);
    assertThat(single.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(array.statusCode()).isEqualTo(202);
    assertThat(array.body()).isEqualTo("{\"accepted\":2}");
    assertThat(ndjson.statusCode()).isEqualTo(202);
    assertThat(sink.values())
        .extracting(v -> new String(v, StandardCharsets.UTF_8))
        .containsExactly(
            "{\"id\":1}", "{\"id\":2}", "{\"id\":3,\"n\":[1]}", "{\"id\":4}", "{\"id\":5}");
    assertThat(sink.envelopes()).extracting(Envelope::source).containsOnly("webhook");
    assertThat(responses(202)).isEqualTo(3);
    assertThat(report.received()).isEqualTo(5);
    assertThat(report.written()).isEqualTo(5);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void refusesBadMissingExpiredAndReplayedSignatures() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder().secret(SECRET), sink);
    String body = "{\"id\":1}";
    long now = Instant.now().getEpochSecond();
    String good = WebhookSignature.sign(SECRET, now, body.getBytes());

    HttpResponse<String> bad =
        post(
            body,
            now,
            WebhookSignature.sign("another-secret-0123".getBytes(), now, body.getBytes()));
    HttpResponse<String> tampered = post("{\"id\":2}", now, good);
    HttpResponse<String> missing = post(body, now, null);
    HttpResponse<String> notHex = post(body, now, "sha256=zz");
    long old = now - 3600;
    HttpResponse<String> expired =
        post(body, old, WebhookSignature.sign(SECRET, old, body.getBytes()));
    HttpResponse<String> first = post(body, now, good);
    HttpResponse<String> replayed = post(body, now, good);
    assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.body()).contains("does not match");
    assertThat(tampered.statusCode()).isEqualTo(401);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.body()).contains("missing");
    assertThat(notHex.statusCode()).isEqualTo(401);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(expired.body()).contains("tolerance");
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(replayed.body()).contains("replayed");
    assertThat(responses(401)).isEqualTo(6);
    assertThat(report.received()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
  }

  private RawHttp.Response rawPost(String body, String timestamp, String signature)
      throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (RawHttp http = new RawHttp(endpoint)) {
      http.sendHead(
          "POST " + endpoint.getPath() + " HTTP/1.1",
          "Host: " + endpoint.getHost(),
          "Content-Type: application/json",
          "Content-Length: " + bytes.length,
          "Connection: close",
          WebhookSignature.SIGNATURE_HEADER + ":" + signature,
          WebhookSignature.TIMESTAMP_HEADER + ":" + timestamp);
      http.send(bytes);
      return http.read();
    }
  }

  @Test
  void aReplayIsRefusedInEverySpellingOfSignatureAndTimestampThatVerifies() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder().secret(SECRET), sink);
    String body = "{\"id\":1}";
    long now = Instant.now().getEpochSecond();
    String ts = String.valueOf(now);
    String good = WebhookSignature.sign(SECRET, now, body.getBytes(StandardCharsets.UTF_8));
    String hex = good.substring("sha256=".length());
    String upper = hex.toUpperCase(Locale.ROOT);

    RawHttp.Response first = rawPost(body, ts, " " + good);
    List<String[]> replays =
        List.of(
            new String[] {ts, " " + good},
            new String[] {ts, " sha256=" + upper},
            new String[] {ts, " SHA256=" + hex},
            new String[] {ts, " sHa256=" + upper.substring(0, 32) + hex.substring(32)},
            new String[] {ts, "   " + good + "   "},
            new String[] {ts, "\t" + good + "\t"},
            new String[] {" +" + ts, " " + good},
            new String[] {" 0" + ts, " " + good},
            new String[] {"  " + ts + "  ", " sha256=" + upper});
    List<RawHttp.Response> answers = new ArrayList<>();
    for (String[] replay : replays) {
      answers.add(rawPost(body, replay[0], replay[1]));
    }
    RawHttp.Response notASignature = rawPost(body, ts, " sha256= " + hex);
    assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(first.status()).isEqualTo(202);
    assertThat(answers)
        .allSatisfy(
            answer -> {
              assertThat(answer.status()).isEqualTo(401);
              assertThat(answer.body()).contains("replayed request");
            });
    assertThat(notASignature.status()).isEqualTo(401);
    assertThat(notASignature.body()).contains("does not match");
    assertThat(sink.values())
        .extracting(v -> new String(v, StandardCharsets.UTF_8))
        .containsExactly(body);
    assertThat(report.received()).isEqualTo(1);
    assertThat(report.written()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void refusesOversizedAndMalformedBodiesAndOtherMethodsWithAReason() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder().maxBodyBytes(1024), sink);
    byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    byte[] twoKiB = ("{\"a\":\"" + "x".repeat(2040) + "\"}").getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> oversize = post(new String(twoKiB, StandardCharsets.UTF_8));
    HttpResponse<String> oversizeChunked =
        client.send(
            HttpRequest.newBuilder(endpoint)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(twoKiB)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> broken = post("{\"a\": tru");
    HttpResponse<String> empty = post("");
    HttpResponse<String> emptyArray = post("[]");
    HttpResponse<String> notObjects = post("[{\"a\":1}, 42]");
    HttpResponse<String> trailing = post("[{\"a\":1}] {");
    HttpResponse<String> nullEvent = post("[null]");
    HttpResponse<String> duplicateField = post("{\"a\":1,\"a\":2}");
    HttpResponse<String> badUtf8 =
        client.send(
            HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofByteArray(invalidUtf8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(endpoint).GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> put =
        client.send(
            HttpRequest.newBuilder(endpoint).PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> good = post("{\"a\":1}");
    assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(oversize.statusCode()).isEqualTo(413);
    assertThat(oversize.body()).isEqualTo("{\"error\":\"body exceeds 1024 bytes\"}");
    assertThat(oversizeChunked.statusCode()).isEqualTo(413);
    assertThat(oversizeChunked.body()).isEqualTo("{\"error\":\"body exceeds 1024 bytes\"}");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).contains("malformed JSON at line 1");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("empty body");
    assertThat(emptyArray.statusCode()).isEqualTo(400);
    assertThat(notObjects.statusCode()).isEqualTo(400);
    assertThat(notObjects.body()).contains("event 2 is not a JSON object");
    assertThat(trailing.statusCode()).isEqualTo(400);
    assertThat(nullEvent.statusCode()).isEqualTo(400);
    assertThat(nullEvent.body()).contains("event 1 is not a JSON object");
    assertThat(duplicateField.statusCode()).isEqualTo(400);
    assertThat(badUtf8.statusCode()).isEqualTo(400);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(good.statusCode()).isEqualTo(202);
    assertThat(responses(413)).isEqualTo(2);
    assertThat(report.received()).isEqualTo(1);
    assertThat(sink.values())
        .extracting(v -> new String(v, StandardCharsets.UTF_8))
        .containsExactly("{\"a\":1}");
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void aRequestWithOneEventMoreThanMaxEventsPerRequestIsRefusedWholeWith400() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder().maxEventsPerRequest(3), sink);

    HttpResponse<String> atLimit = post("[{\"n\":1},{\"n\":2},{\"n\":3}]");
    HttpResponse<String> arrayOverLimit = post("[{\"n\":4},{\"n\":5},{\"n\":6},{\"n\":7}]");
    HttpResponse<String> ndjsonOverLimit = post("{\"n\":8}\n{\"n\":9}\n{\"n\":10}\n{\"n\":11}\n");
    assertThat(sink.awaitSize(3, Duration.ofSeconds(10))).isTrue();
    source.drain(Duration.ofSeconds(10));
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(atLimit.statusCode()).isEqualTo(202);
    assertThat(arrayOverLimit.statusCode()).isEqualTo(400);
    assertThat(arrayOverLimit.body()).contains("more than 3 events in one request");
    assertThat(ndjsonOverLimit.statusCode()).isEqualTo(400);
    assertThat(ndjsonOverLimit.body()).contains("more than 3 events in one request");
    assertThat(sink.values())
        .extracting(v -> new String(v, StandardCharsets.UTF_8))
        .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    assertThat(report.received()).isEqualTo(3);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void answers429WithRetryAfterWhenTheBufferIsFullAndLosesNothingAccepted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TestSink<byte[]> written = new TestSink<>();
    Sink<byte[]> blocking =
        Sink.of(
            "blocking",
            batch -> {
              release.await();
              written.write(batch);
            });
    start(WebhookSourceConfig.builder().secret(SECRET).buffer(20, 1 << 20), blocking);

    int accepted = 0;
    String refusedBody = null;
    long refusedAt = 0;
    String refusedSignature = null;
    HttpResponse<String> full = null;
    for (int i = 0; i < 200 && full == null; i++) {
      String body = "{\"i\":" + i + "}\n{\"i\":0}";
      long now = Instant.now().getEpochSecond();
      String signature = WebhookSignature.sign(SECRET, now, body.getBytes());
      HttpResponse<String> r = post(body, now, signature);
      if (r.statusCode() == 202) {
        accepted += 2;
      } else {
        full = r;
        refusedBody = body;
        refusedAt = now;
        refusedSignature = signature;
      }
    }
    release.countDown();
    assertThat(written.awaitSize(accepted, Duration.ofSeconds(10))).isTrue();
    // Once there is room, the request refused with 429 is accepted unchanged: not a replay.
    HttpResponse<String> retried = null;
    for (int i = 0; i < 200; i++) {
      retried = post(refusedBody, refusedAt, refusedSignature);
      if (retried.statusCode() != 429) {
        break;
      }
      Thread.sleep(10);
    }
    assertThat(written.awaitSize(accepted + 2, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(full).isNotNull();
    assertThat(full.statusCode()).isEqualTo(429);
    assertThat(full.headers().firstValue("Retry-After")).contains("1");
    assertThat(full.body()).contains("retry later");
    assertThat(retried.statusCode()).isEqualTo(202);
    assertThat(report.received()).isEqualTo(accepted + 2);
    assertThat(report.written()).isEqualTo(accepted + 2);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void concurrentClientsEachGetAnAnswerAndEveryAcceptedEventIsWritten() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder().secret(SECRET).buffer(64, 1 << 20), sink);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger throttled = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int client = c;
      futures.add(
          clients.submit(
              () -> {
                for (int r = 0; r < 40; r++) {
                  StringBuilder body = new StringBuilder("[");
                  for (int e = 0; e < 10; e++) {
                    body.append(e == 0 ? "" : ",")
                        .append("{\"c\":")
                        .append(client)
                        .append(",\"r\":")
                        .append(r)
                        .append(",\"e\":")
                        .append(e)
                        .append('}');
                  }
                  HttpResponse<String> response = signedPost(body + "]");
                  if (response.statusCode() == 202) {
                    accepted.addAndGet(10);
                  } else if (response.statusCode() == 429) {
                    throttled.incrementAndGet();
                  } else {
                    throw new AssertionError("unexpected " + response.statusCode());
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    clients.shutdown();
    assertThat(sink.awaitSize(accepted.get(), Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(accepted.get()).isPositive();
    assertThat(accepted.get() / 10 + throttled.get()).isEqualTo(8 * 40);
    assertThat(report.received()).isEqualTo(accepted.get());
    assertThat(report.written()).isEqualTo(accepted.get());
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void answers503OnceDrainingAndTheDrainedEventsAreWritten() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder(), sink);

    HttpResponse<String> before = post("{\"a\":1}\n{\"a\":2}");
    boolean drained = source.drain(Duration.ofSeconds(10));
    HttpResponse<String> after = post("{\"a\":3}");
    assertThat(sink.awaitSize(2, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(before.statusCode()).isEqualTo(202);
    assertThat(drained).isTrue();
    assertThat(after.statusCode()).isEqualTo(503);
    assertThat(after.body()).contains("stopping");
    assertThat(source.buffered()).isZero();
    assertThat(report.received()).isEqualTo(2);
    assertThat(report.written()).isEqualTo(2);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void copiesAValidW3cTraceContextIntoEveryEnvelopeOfTheRequest() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder().secret(SECRET), sink);
    String body = "[{\"id\":1},{\"id\":2}]";
    long now = Instant.now().getEpochSecond();

    HttpResponse<String> traced =
        client.send(
            HttpRequest.newBuilder(endpoint)
                .header(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(now))
                .header(
                    WebhookSignature.SIGNATURE_HEADER,
                    WebhookSignature.sign(SECRET, now, body.getBytes()))
                .header("traceparent", TRACEPARENT)
                .header("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> invalid = traceparentPost("{\"id\":3}", "00-not-a-trace-id-01");
    HttpResponse<String> zeroTraceId =
        traceparentPost("{\"id\":4}", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
    HttpResponse<String> untraced = signedPost("{\"id\":5}");
    assertThat(sink.awaitSize(5, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(List.of(traced, invalid, zeroTraceId, untraced))
        .extracting(HttpResponse::statusCode)
        .containsOnly(202);
    List<Envelope<byte[]>> envelopes = sink.envelopes();
    assertThat(envelopes.get(0).headers())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "traceparent",
                TRACEPARENT,
                "tracestate",
                "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"));
    assertThat(envelopes.get(1).headers()).isEqualTo(envelopes.get(0).headers());
    assertThat(envelopes.subList(2, 5)).allSatisfy(e -> assertThat(e.headers()).isEmpty());
    assertThat(report.invariantHolds()).isTrue();
  }

  private HttpResponse<String> traceparentPost(String body, String traceparent) throws Exception {
    long now = Instant.now().getEpochSecond();
    return client.send(
        HttpRequest.newBuilder(endpoint)
            .header(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(now))
            .header(
                WebhookSignature.SIGNATURE_HEADER,
                WebhookSignature.sign(SECRET, now, body.getBytes()))
            .header("traceparent", traceparent)
            .header("tracestate", "congo=t61rcWkgMzE")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
