package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.BatchPolicy;
import dev.collect.core.Envelope;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.RawHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The webhook source with a real HTTP client over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookSourceIT {
  private static final byte[] SECRET =
      "0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);
  private final HttpClient client = HttpClient.newHttpClient();
  private Pipeline pipeline;

  @AfterEach
  void stop() {
    if (pipeline != null) {
      pipeline.stop(Duration.ofSeconds(10));
    }
  }

  private WebhookSource start(WebhookSourceConfig.Builder config, Sink<byte[]> sink)
      throws Exception {
    WebhookSource source = Webhook.source(config.port(0).build());
    pipeline =
        Pipeline.from(source)
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .queueCapacity(8, 1024 * 1024)
            .batch(BatchPolicy.ofRecords(4).withLinger(Duration.ofMillis(5)))
            .build();
    pipeline.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!pipeline.isReady() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return source;
  }

  private HttpResponse<String> post(URI uri, String body, long timestamp, String signature)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header(WebhookSignature.SIGNATURE_HEADER, signature);
      request.header(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(timestamp));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> signedPost(URI uri, String body) throws Exception {
    long now = Instant.now().getEpochSecond();
    return post(uri, body, now, WebhookSignature.sign(SECRET, now, body.getBytes()));
  }

  @Test
  void acceptsSingleEventsArraysAndNdjsonWithGoodSignatures() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder().secret(SECRET), sink);

    HttpResponse<String> single = signedPost(source.endpoint(), "{\"id\":1}");
    HttpResponse<String> array =
        signedPost(source.endpoint(), "[{\"id\":2}, {\"id\":3,\"n\":[1]}]");
    HttpResponse<String> ndjson = signedPost(source.endpoint(), "{\"id\":4}\n{\"id\":5}\n");
    assertThat(sink.awaitSize(5, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(single.statusCode()).isEqualTo(202);
    assertThat(array.statusCode()).isEqualTo(202);
    assertThat(array.body()).isEqualTo("{\"accepted\":2}");
    assertThat(ndjson.statusCode()).isEqualTo(202);
    assertThat(sink.values())
        .extracting(v -> new String(v, StandardCharsets.UTF_8))
        .containsExactly(
            "{\"id\":1}", "{\"id\":2}", "{\"id\":3,\"n\":[1]}", "{\"id\":4}", "{\"id\":5}");
    assertThat(report.received()).isEqualTo(5);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void refusesBadMissingExpiredAndReplayedSignatures() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder().secret(SECRET), sink);
    String body = "{\"id\":1}";
    long now = Instant.now().getEpochSecond();
    String good = WebhookSignature.sign(SECRET, now, body.getBytes());

    HttpResponse<String> bad =
        post(
            source.endpoint(),
            body,
            now,
            WebhookSignature.sign("another-secret-0123".getBytes(), now, body.getBytes()));
    HttpResponse<String> tampered = post(source.endpoint(), "{\"id\":2}", now, good);
    HttpResponse<String> missing = post(source.endpoint(), body, now, null);
    HttpResponse<String> notHex = post(source.endpoint(), body, now, "sha256=zz");
    long old = now - 3600;
    HttpResponse<String> expired =
        post(source.endpoint(), body, old, WebhookSignature.sign(SECRET, old, body.getBytes()));
    HttpResponse<String> first = post(source.endpoint(), body, now, good);
    HttpResponse<String> replayed = post(source.endpoint(), body, now, good);
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
    assertThat(report.received()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void refusesOversizedAndMalformedBodiesWithAReason() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder().maxBodyBytes(1024), sink);
    byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

    HttpResponse<String> oversize =
        post(source.endpoint(), "{\"a\":\"" + "x".repeat(2000) + "\"}", 0, null);
    HttpResponse<String> broken = post(source.endpoint(), "{\"a\": tru", 0, null);
    HttpResponse<String> empty = post(source.endpoint(), "", 0, null);
    HttpResponse<String> emptyArray = post(source.endpoint(), "[]", 0, null);
    HttpResponse<String> notObjects = post(source.endpoint(), "[{\"a\":1}, 42]", 0, null);
    HttpResponse<String> trailing = post(source.endpoint(), "[{\"a\":1}] {", 0, null);
    HttpResponse<String> nullEvent = post(source.endpoint(), "[null]", 0, null);
    HttpResponse<String> duplicateField = post(source.endpoint(), "{\"a\":1,\"a\":2}", 0, null);
    HttpResponse<String> badUtf8 =
        client.send(
            HttpRequest.newBuilder(source.endpoint())
                .POST(HttpRequest.BodyPublishers.ofByteArray(invalidUtf8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(source.endpoint()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> health =
        client.send(
            HttpRequest.newBuilder(source.health()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> good = post(source.endpoint(), "{\"a\":1}", 0, null);
    boolean drained = source.drain(Duration.ofSeconds(10));
    HttpResponse<String> afterDrain = post(source.endpoint(), "{\"a\":2}", 0, null);
    HttpResponse<String> healthAfterDrain =
        client.send(
            HttpRequest.newBuilder(source.health()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(oversize.statusCode()).isEqualTo(413);
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
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
    assertThat(good.statusCode()).isEqualTo(202);
    assertThat(drained).isTrue();
    assertThat(afterDrain.statusCode()).isEqualTo(503);
    assertThat(healthAfterDrain.statusCode()).isEqualTo(503);
    assertThat(source.buffered()).isZero();
    assertThat(report.received()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void answers429WithRetryAfterWhenThePipelineIsFullAndLosesNothingAccepted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TestSink<byte[]> written = new TestSink<>();
    Sink<byte[]> blocking =
        Sink.of(
            "blocking",
            batch -> {
              release.await();
              written.write(batch);
            });
    WebhookSource source = start(WebhookSourceConfig.builder().buffer(20, 1 << 20), blocking);

    int accepted = 0;
    HttpResponse<String> full = null;
    for (int i = 0; i < 200 && full == null; i++) {
      HttpResponse<String> r = post(source.endpoint(), "{\"i\":" + i + "}\n{\"i\":0}", 0, null);
      if (r.statusCode() == 202) {
        accepted += 2;
      } else {
        full = r;
      }
    }
    release.countDown();
    assertThat(written.awaitSize(accepted, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(full).isNotNull();
    assertThat(full.statusCode()).isEqualTo(429);
    assertThat(full.headers().firstValue("Retry-After")).contains("1");
    assertThat(report.received()).isEqualTo(accepted);
    assertThat(report.written()).isEqualTo(accepted);
    assertThat(report.invariantHolds()).isTrue();
  }

  @Test
  void concurrentClientsEachGetAnAnswerAndEveryAcceptedEventIsWritten() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source =
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
                  HttpResponse<String> response = signedPost(source.endpoint(), body + "]");
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
    assertThat(sink.envelopes()).extracting(Envelope::raw).doesNotContainNull();
  }

  private static RawHttp.Response rawPost(URI uri, String body, String timestamp, String signature)
      throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (RawHttp http = new RawHttp(uri)) {
      http.sendHead(
          "POST " + uri.getPath() + " HTTP/1.1",
          "Host: " + uri.getHost(),
          "Content-Type: application/json",
          "Content-Length: " + bytes.length,
          WebhookSignature.SIGNATURE_HEADER + ":" + signature,
          WebhookSignature.TIMESTAMP_HEADER + ":" + timestamp);
      http.send(bytes);
      return http.read();
    }
  }

  @Test
  void aReplayIsRefusedInEverySpellingOfSignatureAndTimestampThatVerifies() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder().secret(SECRET), sink);
    String body = "{\"id\":1}";
    long now = Instant.now().getEpochSecond();
    String ts = String.valueOf(now);
    String good = WebhookSignature.sign(SECRET, now, body.getBytes(StandardCharsets.UTF_8));
    String hex = good.substring("sha256=".length());
    String upper = hex.toUpperCase(Locale.ROOT);

    RawHttp.Response first = rawPost(source.endpoint(), body, ts, " " + good);
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
      answers.add(rawPost(source.endpoint(), body, replay[0], replay[1]));
    }
    RawHttp.Response notASignature = rawPost(source.endpoint(), body, ts, " sha256= " + hex);
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

  /**
   * 16 concurrent 10 MiB uploads against a 1 MiB limit, four of each kind: chunked, with
   * Content-Length, chunked with {@code Expect: 100-continue} (HttpClient), and Content-Length with
   * Expect over a raw socket (Java 17's HttpClient waits for a {@code 100} it never gets when the
   * answer is final, so it cannot be the client for that case).
   */
  @Test
  void everyConcurrentOversizedUploadGetsAReadable413() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder().maxBodyBytes(1 << 20), sink);
    byte[] tenMiB = new byte[10 << 20];
    java.util.Arrays.fill(tenMiB, (byte) 'x');
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<Answer>> uploads = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int kind = i % 4;
      uploads.add(
          clients.submit(
              () ->
                  kind == 3
                      ? rawExpectContinue(source.endpoint(), tenMiB.length)
                      : upload(source.endpoint(), tenMiB, kind != 1, kind == 2)));
    }
    List<Answer> answers = new ArrayList<>();
    for (Future<Answer> upload : uploads) {
      answers.add(upload.get(45, TimeUnit.SECONDS));
    }
    clients.shutdown();
    HttpResponse<String> small = post(source.endpoint(), "{\"a\":1}", 0, null);
    assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(answers)
        .hasSize(16)
        .allSatisfy(
            answer -> {
              assertThat(answer.firstStatus()).isEqualTo(413);
              assertThat(answer.body()).isEqualTo("{\"error\":\"body exceeds 1048576 bytes\"}");
            });
    assertThat(small.statusCode()).isEqualTo(202);
    assertThat(report.received()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
  }

  /** The first status a client read (a raw client sees an interim 100 too), and the body. */
  private record Answer(int firstStatus, String body) {}

  private Answer upload(URI uri, byte[] body, boolean chunked, boolean expectContinue)
      throws Exception {
    HttpRequest.BodyPublisher publisher =
        chunked
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(uri).expectContinue(expectContinue).POST(publisher).build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  private static Answer rawExpectContinue(URI uri, long length) throws Exception {
    try (RawHttp http = new RawHttp(uri)) {
      http.sendHead(
          "POST " + uri.getPath() + " HTTP/1.1",
          "Host: " + uri.getHost(),
          "Content-Length: " + length,
          "Expect: 100-continue");
      RawHttp.Response response = http.read();
      return new Answer(response.status(), response.body());
    }
  }

  @Test
  void anOversizedUploadThatExpectsContinueIsRefusedBeforeItsBodyIsSent() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder().maxBodyBytes(1 << 20), sink);
    URI uri = source.endpoint();
    String requestLine = "POST " + uri.getPath() + " HTTP/1.1";
    String host = "Host: " + uri.getHost();

    RawHttp.Response declared;
    try (RawHttp http = new RawHttp(uri)) {
      http.sendHead(requestLine, host, "Content-Length: 10485760", "Expect: 100-continue");
      declared = http.read();
    }
    RawHttp.Response interim;
    RawHttp.Response chunked;
    try (RawHttp http = new RawHttp(uri)) {
      http.sendHead(requestLine, host, "Transfer-Encoding: chunked", "Expect: 100-continue");
      interim = http.read();
      byte[] chunk = ("100000\r\n" + "x".repeat(1 << 20) + "\r\n").getBytes(StandardCharsets.UTF_8);
      http.send(chunk);
      http.send(chunk);
      http.send("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      chunked = http.read();
    }
    RawHttp.Response beyondDiscardLimit;
    try (RawHttp http = new RawHttp(uri)) {
      http.sendHead(requestLine, host, "Content-Length: " + (1L << 30));
      beyondDiscardLimit = http.read();
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(declared.statusLine()).startsWith("HTTP/1.1 413");
    assertThat(declared.headers()).containsEntry("connection", "close");
    assertThat(declared.body()).contains("body exceeds 1048576 bytes");
    // Without a declared length the body must be read to be measured: 100 first, then 413.
    assertThat(interim.statusLine()).startsWith("HTTP/1.1 100");
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(beyondDiscardLimit.status()).isEqualTo(413);
    assertThat(beyondDiscardLimit.headers()).containsEntry("connection", "close");
    assertThat(report.received()).isZero();
    assertThat(sink.values()).isEmpty();
  }

  @Test
  void aChunkedBodyIsDiscardedOnlyUpTo64MiBBeforeTheConnectionIsClosed() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder().maxBodyBytes(1024), sink);
    URI uri = source.endpoint();
    long sent = 0;
    IOException stopped = null;
    try (RawHttp http = new RawHttp(uri)) {
      http.sendHead(
          "POST " + uri.getPath() + " HTTP/1.1",
          "Host: " + uri.getHost(),
          "Transfer-Encoding: chunked");
      byte[] chunk = ("100000\r\n" + "x".repeat(1 << 20) + "\r\n").getBytes(StandardCharsets.UTF_8);
      try {
        while (sent < 256L << 20) {
          http.send(chunk);
          sent += 1 << 20;
        }
      } catch (IOException e) {
        stopped = e;
      }
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    // The server stopped reading after 64 MiB; the socket buffers hold a few MiB more.
    assertThat(stopped).isNotNull();
    assertThat(sent).isBetween(64L << 20, 128L << 20);
    assertThat(report.received()).isZero();
  }

  @Test
  void aWebhookSourceLeavesTheJvmsSystemPropertiesAsTheyWere() throws Exception {
    Map<Object, Object> before = new HashMap<>(System.getProperties());

    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder(), sink);
    HttpResponse<String> answer = post(source.endpoint(), "{\"a\":1}", 0, null);
    assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();
    pipeline.stop(Duration.ofSeconds(10));

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(System.getProperty("sun.net.httpserver.nodelay")).isNull();
    assertThat(new HashMap<>(System.getProperties())).isEqualTo(before);
  }

  @Test
  void closingWhileASenderHoldsAnIdleKeepAliveConnectionStopsTheServerAtOnce() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder(), sink);
    URI endpoint = source.endpoint();
    HttpResponse<String> answer = post(endpoint, "{\"a\":1}", 0, null); // the client keeps it open
    assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();

    RunReport report = pipeline.stop(Duration.ofSeconds(10));
    source.close();

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(report.failure()).isNull();
    assertThat(report.invariantHolds()).isTrue();
    assertThatThrownBy(
            () -> {
              try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(
                    new java.net.InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2000);
              }
            })
        .isInstanceOf(java.net.ConnectException.class);
  }
}
