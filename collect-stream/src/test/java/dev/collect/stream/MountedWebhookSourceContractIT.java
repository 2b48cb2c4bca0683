package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.collect.core.Envelope;
import dev.collect.core.Source;
import dev.collect.core.contract.SourceContract;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link Webhook#mounted}, served by the JDK's {@code HttpServer} through {@link
 * WebhookSource#httpHandler()}, as a {@link Source}: the same contract as the built-in one.
 */
class MountedWebhookSourceContractIT extends SourceContract<byte[]> {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static HttpServer server;
  private static volatile WebhookSource last;

  @BeforeAll
  static void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/events", exchange -> last.httpHandler().handle(exchange));
    server.start();
  }

  @AfterAll
  static void stopServing() {
    server.stop(0);
  }

  @Override
  protected boolean inputArrivesAfterOpen() {
    return true;
  }

  @Override
  protected boolean resumesFromCommits() {
    return false;
  }

  @Override
  protected void write(List<String> ids) throws Exception {
    String body =
        ids.stream().map(id -> "{\"id\":\"" + id + "\"}").collect(Collectors.joining("\n"));
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(202);
  }

  @Override
  protected Source<byte[]> newSource() {
    last = Webhook.mounted(WebhookSourceConfig.builder().build());
    return last;
  }

  @Override
  protected String idOf(Envelope<byte[]> envelope) {
    String json = new String(envelope.value(), StandardCharsets.UTF_8);
    return json.substring(json.indexOf(":\"") + 2, json.lastIndexOf('"'));
  }

  @Override
  protected boolean isBounded() {
    return false;
  }
}
