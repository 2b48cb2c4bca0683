package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.BatchPolicy;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.RawHttp;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only the built-in server does, over loopback: health and 404, oversized uploads with and
 * without {@code Expect: 100-continue} (Jetty sends {@code 100} only on the first read), the
 * discard limit, and its lifecycle. The cases every server shares are in {@link
 * WebhookEndpointContract}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebhookSourceIT {
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

  @Test
  void answersHealthOnItsPathAnd404ElsewhereOnTheBuiltInServer() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder(), sink);
    URI other = source.endpoint().resolve("/other");

    HttpResponse<String> health =
        client.send(
            HttpRequest.newBuilder(source.health()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> notFound = post(other, "{\"a\":1}", 0, null);
    HttpResponse<String> good = post(source.endpoint(), "{\"a\":1}", 0, null);
    boolean drained = source.drain(Duration.ofSeconds(10));
    HttpResponse<String> healthAfterDrain =
        client.send(
            HttpRequest.newBuilder(source.health()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.body()).contains("no such path");
    assertThat(good.statusCode()).isEqualTo(202);
    assertThat(drained).isTrue();
    assertThat(healthAfterDrain.statusCode()).isEqualTo(503);
    assertThat(healthAfterDrain.body()).contains("\"status\":\"DOWN\"");
    assertThat(report.received()).isEqualTo(1);
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
  void theBuiltInServerBindsToLoopbackByDefault() throws Exception {
    InetAddress external = nonLoopbackAddress();
    TestSink<byte[]> sink = new TestSink<>();
    WebhookSource source = start(WebhookSourceConfig.builder(), sink);
    int port = source.endpoint().getPort();

    HttpResponse<String> viaLoopback = post(source.endpoint(), "{\"a\":1}", 0, null);
    boolean reachableViaExternal = connects(new InetSocketAddress(external, port));
    assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(InetAddress.getByName(source.endpoint().getHost()).isLoopbackAddress()).isTrue();
    assertThat(viaLoopback.statusCode()).isEqualTo(202);
    assertThat(reachableViaExternal).as("connectable on %s:%d", external, port).isFalse();
    assertThat(report.invariantHolds()).isTrue();
  }

  /** An address of this machine that is not loopback, to connect to the server through. */
  private static InetAddress nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic :
        java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
          return address;
        }
      }
    }
    String message = "!!! this machine has no non-loopback IPv4 address: SKIPPING the bind test";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    System.err.println(message);
    org.junit.jupiter.api.Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  private static boolean connects(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 5_000);
      return true;
    } catch (IOException e) {
      return false;
    }
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
