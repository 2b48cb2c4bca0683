package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.collect.core.CheckpointStore;
import dev.collect.core.DeadLetter;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP source against a real JDK HttpServer on loopback that misbehaves on purpose. */
@Timeout(60)
class HttpSourceTest {

  private HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private volatile int items = 95;

  private URI start(Function<HttpExchange, Integer> handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/items",
        exchange -> {
          try {
            handler.apply(exchange);
          } finally {
            exchange.close();
          }
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/items");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  static Map<String, String> query(HttpExchange exchange) {
    String q = exchange.getRequestURI().getRawQuery();
    Map<String, String> out = new HashMap<>();
    if (q != null) {
      for (String pair : q.split("&")) {
        String[] kv = pair.split("=", 2);
        out.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return out;
  }

  static int send(HttpExchange exchange, int status, String body, Map<String, String> headers) {
    try {
      headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      // the client gave up (a timeout on purpose)
    }
    return status;
  }

  private String itemsJson(int from, int to) {
    return IntStream.range(from, Math.min(to, items))
        .mapToObj(i -> "{\"id\":" + i + ",\"name\":\"item-" + i + "\"}")
        .collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void survivesTheMisbehavingServerAndDeadLettersTheMalformedPage() throws Exception {
    URI uri =
        start(
            exchange -> {
              int page = Integer.parseInt(query(exchange).get("page"));
              int size = Integer.parseInt(query(exchange).get("size"));
              int hit =
                  hits.computeIfAbsent("page" + page, k -> new AtomicInteger()).incrementAndGet();
              if (page == 2 && hit == 1) {
                return send(exchange, 429, "slow down", Map.of("Retry-After", "1"));
              }
              if (page == 3 && hit <= 2) {
                return send(exchange, 500 + hit, "oops", Map.of());
              }
              if (page == 4 && hit == 1) {
                try {
                  Thread.sleep(1500); // longer than the request timeout
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              if (page == 5) {
                return send(exchange, 200, "[{\"id\": 40}, {\"id\": 4", Map.of());
              }
              if (page == 7) {
                return send(exchange, 200, "[{\"id\":60}, 42, {\"id\":62}]", Map.of());
              }
              int from = (page - 1) * size;
              return send(exchange, 200, itemsJson(from, from + size), Map.of());
            });
    TestSink<Map<String, Object>> sink = new TestSink<>();
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(
                HttpSource.builder(uri)
                    .pageSize(10)
                    .requestsPerSecond(50)
                    .requestTimeout(Duration.ofMillis(700))
                    .retries(5, Duration.ofMillis(50), Duration.ofSeconds(2))
                    .checkpoints(CheckpointStore.inMemory(), "api")
                    .build())
            .to(sink)
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    List<Object> ids = sink.values().stream().map(m -> m.get("id")).toList();
    // 95 items on pages 1..10; page 5 (ids 40..49) is malformed; page 7 has 2 objects and a 42.
    assertThat(ids)
        .hasSize(95 - 10 - 10 + 2)
        .doesNotHaveDuplicates()
        .contains(0, 39, 50, 60, 62, 94);
    assertThat(dead.letters()).hasSize(2);
    DeadLetter malformed = dead.letters().get(0);
    assertThat(malformed.errorMessage()).contains("not valid JSON");
    assertThat((String) malformed.position().get("page")).contains("page=5");
    assertThat(malformed.payload()).startsWith("[{\"id\": 40}");
    assertThat(dead.letters().get(1).errorMessage()).contains("not a JSON object");
    assertThat(dead.letters().get(1).position()).containsEntry("item", 1);
    assertThat(hits.get("page2").get()).isEqualTo(2);
    assertThat(hits.get("page3").get()).isEqualTo(3);
    assertThat(hits.get("page4").get()).isEqualTo(2);
    assertThat(hits.get("page11").get()).isEqualTo(1); // the empty page ends the crawl
  }

  @Test
  void aServerThatStaysDownFailsTheRunInsteadOfDroppingPages() throws Exception {
    URI uri = start(exchange -> send(exchange, 503, "down", Map.of("Retry-After", "0")));
    TestSink<Map<String, Object>> sink = new TestSink<>();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                Pipeline.from(
                        HttpSource.builder(uri)
                            .retries(3, Duration.ofMillis(10), Duration.ofMillis(50))
                            .build())
                    .to(sink)
                    .deadLetters(new TestDeadLetterSink())
                    .retry(
                        dev.collect.core.RetryPolicy.builder()
                            .outageBudget(Duration.ofSeconds(2))
                            .build())
                    .build()
                    .run())
        .isInstanceOf(dev.collect.core.PipelineFailedException.class)
        .rootCause()
        .hasMessageContaining("after 3 attempts: HTTP 503");

    assertThat(sink.size()).isZero();
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    URI uri =
        start(
            exchange -> {
              hits.computeIfAbsent("all", k -> new AtomicInteger()).incrementAndGet();
              return send(exchange, 404, "no such thing", Map.of());
            });

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Pipeline.from(HttpSource.builder(uri).build()).to(new TestSink<>()).build().run())
        .isInstanceOf(dev.collect.core.PipelineFailedException.class)
        .rootCause()
        .hasMessageContaining("HTTP 404");

    assertThat(hits.get("all").get()).isEqualTo(1);
  }

  @Test
  void followsCursorTokensAndResumesAfterTheLastCommittedItem() throws Exception {
    URI uri =
        start(
            exchange -> {
              String cursor = query(exchange).getOrDefault("cursor", "0");
              int from = Integer.parseInt(cursor);
              String next = from + 10 < items ? "\"" + (from + 10) + "\"" : "null";
              return send(
                  exchange,
                  200,
                  "{\"data\":" + itemsJson(from, from + 10) + ",\"next_cursor\":" + next + "}",
                  Map.of());
            });
    CheckpointStore store = CheckpointStore.inMemory();
    HttpSource.Builder source =
        HttpSource.builder(uri)
            .pagination(HttpSource.Pagination.CURSOR)
            .items("/data")
            .pageSize(10)
            .checkpoints(store, "cursor-api");
    TestSink<Map<String, Object>> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(source.build()).to(sink).deadLetters(new TestDeadLetterSink()).build().run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.values())
        .extracting(m -> m.get("id"))
        .containsExactlyElementsOf(IntStream.range(0, 95).boxed().toList());
    assertThat(store.load("cursor-api")).contains("{\"completed\":true}");
  }

  @Test
  void followsLinkHeadersAndOffsets() throws Exception {
    URI uri =
        start(
            exchange -> {
              int offset = Integer.parseInt(query(exchange).getOrDefault("offset", "0"));
              Map<String, String> headers =
                  offset + 20 < items
                      ? Map.of(
                          "Link",
                          "<"
                              + "/items?offset="
                              + (offset + 20)
                              + ">; rel=\"next\", </items?offset=0>; rel=\"first\"")
                      : Map.of();
              return send(exchange, 200, itemsJson(offset, offset + 20), headers);
            });
    TestSink<Map<String, Object>> linked = new TestSink<>();
    TestSink<Map<String, Object>> offsets = new TestSink<>();

    Pipeline.from(HttpSource.builder(uri).pagination(HttpSource.Pagination.LINK_HEADER).build())
        .to(linked)
        .build()
        .run();
    Pipeline.from(
            HttpSource.builder(uri).pagination(HttpSource.Pagination.OFFSET).pageSize(20).build())
        .to(offsets)
        .build()
        .run();

    assertThat(linked.values())
        .extracting(m -> m.get("id"))
        .containsExactlyElementsOf(IntStream.range(0, 95).boxed().toList());
    assertThat(offsets.values())
        .extracting(m -> m.get("id"))
        .containsExactlyElementsOf(IntStream.range(0, 95).boxed().toList());
  }
}
