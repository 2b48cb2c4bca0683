package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.RunReport;
import dev.collect.core.testing.TestSink;
import dev.collect.stream.support.RawHttp;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The webhook contract with {@link WebhookServlet} in an embedded servlet container (Jetty 12
 * ee10), mapped under a context path, as a user would.
 */
class ServletWebhookEndpointIT extends MountedWebhookEndpointContract {
  private Server server;

  @Override
  protected URI serve(WebhookSource source) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/app");
    context.addServlet(new ServletHolder(new WebhookServlet(source)), "/hooks/events");
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app/hooks/events");
  }

  @Override
  protected void stopServing() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void anOversizedUploadThatExpectsContinueIsRefusedBeforeItsBodyIsSent() throws Exception {
    TestSink<byte[]> sink = new TestSink<>();
    start(WebhookSourceConfig.builder().maxBodyBytes(1 << 20), sink);

    RawHttp.Response answer;
    try (RawHttp http = new RawHttp(endpoint)) {
      http.sendHead(
          "POST " + endpoint.getPath() + " HTTP/1.1",
          "Host: " + endpoint.getHost(),
          "Content-Length: 10485760",
          "Expect: 100-continue");
      answer = http.read();
    }
    RunReport report = pipeline.stop(Duration.ofSeconds(10));

    // The first thing the client reads is the 413, not "100 Continue": it never sends the body.
    assertThat(answer.statusLine()).startsWith("HTTP/1.1 413");
    assertThat(answer.headers()).containsEntry("connection", "close");
    assertThat(answer.body()).contains("body exceeds 1048576 bytes");
    assertThat(report.received()).isZero();
  }
}
