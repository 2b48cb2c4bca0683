package dev.collect.batch;

import com.sun.net.httpserver.HttpServer;
import dev.collect.core.Envelope;
import dev.collect.core.Source;
import dev.collect.core.contract.SourceContract;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** {@link HttpSource} paging a loopback JDK HttpServer 3 items at a time; a fault is a 503. */
class HttpSourceContractTest extends SourceContract<Map<String, Object>> {
  private final List<String> items = new CopyOnWriteArrayList<>();
  private volatile boolean down;
  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/items",
        exchange -> {
          Map<String, String> query = HttpSourceTest.query(exchange);
          int size = Integer.parseInt(query.get("size"));
          int from = (Integer.parseInt(query.get("page")) - 1) * size;
          String body =
              items
                  .subList(Math.min(from, items.size()), Math.min(from + size, items.size()))
                  .stream()
                  .map(id -> "{\"id\":\"" + id + "\"}")
                  .collect(Collectors.joining(",", "[", "]"));
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(down ? 503 : 200, down ? -1 : bytes.length);
          if (!down) {
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Override
  protected void write(List<String> ids) {
    items.addAll(ids);
  }

  @Override
  protected Source<Map<String, Object>> newSource() {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/items");
    return Http.source(
        HttpSourceConfig.builder(uri)
            .pageSize(3)
            .requestsPerSecond(1000)
            .retries(1, Duration.ofMillis(10), Duration.ofMillis(10))
            .checkpoints(checkpoints, "api")
            .build());
  }

  @Override
  protected String idOf(Envelope<Map<String, Object>> envelope) {
    return (String) envelope.value().get("id");
  }

  @Override
  protected boolean isBounded() {
    return true;
  }

  @Override
  protected boolean breakInput() {
    down = true;
    return true;
  }

  @Override
  protected void repairInput() {
    down = false;
  }
}
