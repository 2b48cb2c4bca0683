package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.RawHttp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The webhook contract with {@link WebhookSource#httpHandler()} mounted in the JDK's {@code
 * HttpServer}, as a user would: on a context path of their choosing, with their own executor.
 */
class JdkHttpServerWebhookEndpointIT extends MountedWebhookEndpointContract {
  private HttpServer server;
  private ExecutorService executor;

  @Override
  protected URI serve(WebhookSource source) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/hooks/events", source.httpHandler());
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/events");
  }

  @Override
  protected void stopServing() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  @Test
  void anOversizedUploadThatExpectsContinueGetsContinueThenThe413() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder().maxBodyBytes(1024), sink);

    RawHttp.Response interim;
    RawHttp.Response answer;
    try (RawHttp http = new RawHttp(endpoint)) {
      http.sendHead(
          "POST " + endpoint.getPath() + " HTTP/1.1",
          "Host: " + endpoint.getHost(),
          "Content-Length: 4096",
          "Expect: 100-continue");
      interim = http.read();
      http.send("x".repeat(4096).getBytes(StandardCharsets.UTF_8));
      answer = http.read();
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    // The JDK's server sends 100 before the handler runs: the body comes, then the 413.
    assertThat(interim.statusLine()).startsWith("HTTP/1.1 100");
    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.body()).contains("body exceeds 1024 bytes");
    assertThat(report.received()).isZero();
  }

  @Test
  void everyRequestUnderTheMountedContextIsAnEventsRequest() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder(), sink);
    endpoint = endpoint.resolve("/hooks/events/tenant-7");

    var answer = post("{\"a\":1}");
    assertThat(sink.awaitSize(1, Duration.ofSeconds(10))).isTrue();
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(report.received()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
  }
}
