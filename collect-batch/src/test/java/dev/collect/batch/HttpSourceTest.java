package dev.collect.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.collect.core.CheckpointStore;
import dev.collect.core.DeadLetter;
import dev.collect.core.MetricNames;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineFailedException;
import dev.collect.core.RunReport;
import dev.collect.core.Stage;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

  /** Counts a request for {@code page}; the first is 1. */
  private int hitOf(int page) {
    return hits.computeIfAbsent("page" + page, k -> new AtomicInteger()).incrementAndGet();
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
              int hit = hitOf(page);
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
                Http.source(
                    HttpSourceConfig.builder(
                            URI.create(
                                "http://user:pw@127.0.0.1:"
                                    + uri.getPort()
                                    + "/items?token=t0p-s3cret"))
                        .pageSize(10)
                        .requestsPerSecond(50)
                        .requestTimeout(Duration.ofMillis(700))
                        .retries(5, Duration.ofMillis(50), Duration.ofSeconds(2))
                        .checkpoints(CheckpointStore.inMemory(), "api")
                        .build()))
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
    assertThat((String) malformed.position().get("page"))
        .contains("page=5")
        .contains("token=***")
        .doesNotContain("t0p-s3cret", "pw@");
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
                        Http.source(
                            HttpSourceConfig.builder(uri)
                                .retries(3, Duration.ofMillis(10), Duration.ofMillis(50))
                                .build()))
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

  @ParameterizedTest
  @ValueSource(ints = {401, 404})
  void aClientErrorFailsAtOnceNamingStatusAndUriWithoutSecrets(int status) throws Exception {
    URI uri =
        start(
            exchange -> {
              hits.computeIfAbsent("all", k -> new AtomicInteger()).incrementAndGet();
              return send(exchange, status, "no", Map.of());
            });
    URI withSecrets =
        URI.create(
            "http://user:pa55word@127.0.0.1:"
                + uri.getPort()
                + "/items?api_key=s3cr3t-key&region=eu");
    String shownUri =
        "http://127.0.0.1:" + uri.getPort() + "/items?api_key=***&region=***&page=1&size=100";

    Throwable thrown =
        catchThrowable(
            () ->
                Pipeline.from(
                        Http.source(
                            HttpSourceConfig.builder(withSecrets)
                                .header("Authorization", "Bearer t0ken-value")
                                .build()))
                    .to(new TestSink<>())
                    .build()
                    .run());

    assertThat(thrown)
        .isInstanceOf(PipelineFailedException.class)
        .hasMessageContaining("HTTP " + status + " from GET " + shownUri + ": not retried");
    assertThat(thrown.getMessage()).doesNotContain("s3cr3t", "pa55word", "user", "t0ken");
    assertThat(((PipelineFailedException) thrown).report().failure())
        .contains("HTTP " + status + " from GET " + shownUri);
    assertThat(thrown)
        .rootCause()
        .isInstanceOfSatisfying(
            HttpStatusException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.uri()).isEqualTo(shownUri);
            });
    assertThat(hits.get("all").get()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({"OFFSET, offset=2&limit=2", "CURSOR, cursor=tok-2&limit=2"})
  void deadLetterUrisShowOffsetAndCursorValuesAndHideEveryOtherQueryValue(
      HttpSourceConfig.Pagination style, String pagination) throws Exception {
    URI uri =
        start(
            exchange -> {
              Map<String, String> q = query(exchange);
              boolean second = "2".equals(q.get("offset")) || "tok-2".equals(q.get("cursor"));
              String items = second ? "[{\"id\":2},42]" : "[{\"id\":0},{\"id\":1}]";
              if (style == HttpSourceConfig.Pagination.OFFSET) {
                boolean known = second || "0".equals(q.get("offset"));
                return send(exchange, 200, known ? items : "[]", Map.of());
              }
              String next = second ? "null" : "\"tok-2\"";
              return send(
                  exchange, 200, "{\"data\":" + items + ",\"next_cursor\":" + next + "}", Map.of());
            });
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(
                Http.source(
                    HttpSourceConfig.builder(
                            URI.create(
                                "http://user:pw@127.0.0.1:"
                                    + uri.getPort()
                                    + "/items?api_key=s3cr3t-key"))
                        .pagination(style)
                        .items(style == HttpSourceConfig.Pagination.CURSOR ? "/data" : "")
                        .pageSize(2)
                        .build()))
            .to(new TestSink<>())
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.errorMessage()).contains("not a JSON object");
              assertThat(l.position())
                  .containsEntry(
                      "page",
                      "http://127.0.0.1:" + uri.getPort() + "/items?api_key=***&" + pagination);
            });
  }

  @Test
  void theSourceNeverLogsHeaderValuesEvenAtTraceLevel() throws Exception {
    Path log = Files.createTempFile("http-headers", ".log");
    try {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx128m",
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                  "-cp",
                  System.getProperty("java.class.path"),
                  HttpHeaderLoggingRun.class.getName())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();

      assertThat(child.waitFor(45, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String output = Files.readString(log);

      assertThat(child.exitValue()).as(output).isZero();
      // the run went through the retries, the timeout, the malformed page and the 401, logged
      assertThat(output)
          .contains("RESULT failed")
          .contains("HTTP 503 on /items")
          .contains("HTTP 429 on /items")
          .contains("HttpTimeoutException on /items")
          .contains("HTTP 401 from GET");
      assertThat(output)
          .doesNotContain(HttpHeaderLoggingRun.AUTHORIZATION)
          .doesNotContain("auth-s3cr3t")
          .doesNotContain(HttpHeaderLoggingRun.API_KEY);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  @Test
  void everyHttpRetryCountsInTheRunReportAndTheSourceRetryMeter() throws Exception {
    URI uri =
        start(
            exchange -> {
              int page = Integer.parseInt(query(exchange).get("page"));
              int hit = hitOf(page);
              if (page == 1 && hit <= 3) {
                return send(exchange, 503, "busy", Map.of());
              }
              if (page == 2 && hit <= 3) {
                return send(exchange, 429, "slow down", Map.of("Retry-After", "0"));
              }
              int from = (page - 1) * 50;
              return send(exchange, 200, itemsJson(from, from + 50), Map.of());
            });
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TestSink<Map<String, Object>> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(
                Http.source(
                    HttpSourceConfig.builder(uri)
                        .pageSize(50)
                        .retries(5, Duration.ofMillis(10), Duration.ofMillis(50))
                        .build()))
            .to(sink)
            .metrics(registry)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.size()).isEqualTo(95);
    assertThat(report.retried()).isEqualTo(6);
    assertThat(
            registry
                .get(MetricNames.RECORDS_RETRIED)
                .tag(MetricNames.TAG_STAGE, Stage.SOURCE.tag())
                .counter()
                .count())
        .isEqualTo(6.0);
    assertThat(report.toTable()).containsPattern("retried\\s+6");
  }

  @Test
  void aServerCountingOverASlidingSecondNeverSeesMoreThanTheLimit() throws Exception {
    List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    items = 12;
    URI uri =
        start(
            exchange -> {
              arrivals.add(System.nanoTime());
              int page = Integer.parseInt(query(exchange).get("page"));
              int hit = hitOf(page);
              if ((page == 3 || page == 8) && hit == 1) {
                return send(exchange, 429, "slow down", Map.of("Retry-After", "0"));
              }
              return send(exchange, 200, itemsJson(page - 1, page), Map.of());
            });
    TestSink<Map<String, Object>> sink = new TestSink<>();

    Pipeline.from(
            Http.source(
                HttpSourceConfig.builder(uri)
                    .pageSize(1)
                    .requestsPerSecond(4)
                    .retries(3, Duration.ofMillis(1), Duration.ofMillis(2))
                    .build()))
        .to(sink)
        .build()
        .run();

    assertThat(sink.size()).isEqualTo(12);
    assertThat(arrivals).hasSize(12 + 1 + 2); // every page, the empty one, two 429s
    assertThat(maxInAnySlidingSecond(arrivals)).isLessThanOrEqualTo(4);
  }

  /** The most arrivals within any half-open one-second window. */
  static int maxInAnySlidingSecond(List<Long> arrivals) {
    List<Long> sorted = arrivals.stream().sorted().toList();
    int max = 0;
    for (int i = 0, j = 0; i < sorted.size(); i++) {
      while (sorted.get(i) - sorted.get(j) >= 1_000_000_000L) {
        j++;
      }
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  /** Pages of 10 in the given style over the first {@link #items} ids. */
  private int pageOf(HttpSourceConfig.Pagination style, HttpExchange exchange) {
    Map<String, String> q = query(exchange);
    hits.computeIfAbsent("all", k -> new AtomicInteger()).incrementAndGet();
    return switch (style) {
      case PAGE -> {
        int from = (Integer.parseInt(q.get("page")) - 1) * 10;
        yield send(exchange, 200, itemsJson(from, from + 10), Map.of());
      }
      case OFFSET -> {
        int from = Integer.parseInt(q.get("offset"));
        yield send(exchange, 200, itemsJson(from, from + 10), Map.of());
      }
      case CURSOR -> {
        int from = Integer.parseInt(q.getOrDefault("cursor", "0"));
        String next = from + 10 < items ? "\"" + (from + 10) + "\"" : "null";
        yield send(
            exchange,
            200,
            "{\"data\":" + itemsJson(from, from + 10) + ",\"next_cursor\":" + next + "}",
            Map.of());
      }
      case LINK_HEADER -> {
        int from = Integer.parseInt(q.getOrDefault("offset", "0"));
        Map<String, String> link =
            from + 10 < items
                ? Map.of("Link", "</items?offset=" + (from + 10) + ">; rel=\"next\"")
                : Map.of();
        yield send(exchange, 200, itemsJson(from, from + 10), link);
      }
    };
  }

  private List<Object> runOnce(HttpSourceConfig.Pagination style, URI uri, CheckpointStore store) {
    TestSink<Map<String, Object>> sink = new TestSink<>();
    RunReport report =
        Pipeline.from(
                Http.source(
                    HttpSourceConfig.builder(uri)
                        .pagination(style)
                        .items(style == HttpSourceConfig.Pagination.CURSOR ? "/data" : "")
                        .pageSize(10)
                        .requestsPerSecond(1000)
                        .checkpoints(store, "append-" + style)
                        .build()))
            .to(sink)
            .build()
            .run();
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.status()).isEqualTo(RunReport.Status.COMPLETED);
    return sink.values().stream().map(m -> m.get("id")).toList();
  }

  /**
   * The last column: the requests of a rerun that finds nothing new. A page-number page that came
   * back less than full is asked for again, then the empty page after it: one request more.
   */
  @ParameterizedTest(name = "{0}: {1} items, then {2}")
  @CsvSource({
    "PAGE, 95, 103, 2",
    "PAGE, 100, 113, 2",
    "PAGE, 95, 110, 1",
    "OFFSET, 95, 103, 1",
    "OFFSET, 100, 113, 1",
    "CURSOR, 95, 103, 1",
    "CURSOR, 100, 113, 1",
    "LINK_HEADER, 95, 103, 1",
    "LINK_HEADER, 100, 113, 1"
  })
  void itemsAppendedAfterARunAreReadExactlyOnceByTheNextRun(
      HttpSourceConfig.Pagination style, int before, int after, int rerunRequests)
      throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI uri =
        start(
            exchange -> {
              requests.incrementAndGet();
              return pageOf(style, exchange);
            });
    CheckpointStore store = CheckpointStore.inMemory();
    items = before;

    List<Object> first = runOnce(style, uri, store);
    items = after;
    List<Object> second = runOnce(style, uri, store);
    int beforeThird = requests.get();
    List<Object> third = runOnce(style, uri, store);

    assertThat(first).containsExactlyElementsOf(IntStream.range(0, before).boxed().toList());
    assertThat(second).containsExactlyElementsOf(IntStream.range(before, after).boxed().toList());
    assertThat(third).isEmpty();
    assertThat(requests.get() - beforeThird).isEqualTo(rerunRequests);
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
    HttpSourceConfig.Builder source =
        HttpSourceConfig.builder(uri)
            .pagination(HttpSourceConfig.Pagination.CURSOR)
            .items("/data")
            .pageSize(10)
            .checkpoints(store, "cursor-api");
    TestSink<Map<String, Object>> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(Http.source(source.build()))
            .to(sink)
            .deadLetters(new TestDeadLetterSink())
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(sink.values())
        .extracting(m -> m.get("id"))
        .containsExactlyElementsOf(IntStream.range(0, 95).boxed().toList());
    // The last page named no next cursor: a rerun asks for it again and skips its 5 items.
    assertThat(store.load("cursor-api"))
        .contains("{\"page\":\"" + uri + "?cursor=90&limit=10\",\"skip\":5}");
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

    Pipeline.from(
            Http.source(
                HttpSourceConfig.builder(uri)
                    .pagination(HttpSourceConfig.Pagination.LINK_HEADER)
                    .build()))
        .to(linked)
        .build()
        .run();
    Pipeline.from(
            Http.source(
                HttpSourceConfig.builder(uri)
                    .pagination(HttpSourceConfig.Pagination.OFFSET)
                    .pageSize(20)
                    .build()))
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

  @Test
  void aRetryAfterLongerThanTheMaximumBackoffWaitsTheMaximum() throws Exception {
    List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    URI uri =
        start(
            exchange -> {
              arrivals.add(System.nanoTime());
              int page = Integer.parseInt(query(exchange).get("page"));
              if (arrivals.size() == 1) {
                return send(exchange, 429, "slow down", Map.of("Retry-After", "3600"));
              }
              return send(exchange, 200, page == 1 ? itemsJson(0, 5) : "[]", Map.of());
            });
    Duration max = Duration.ofMillis(600);
    TestSink<Map<String, Object>> sink = new TestSink<>();

    RunReport report =
        Pipeline.from(
                Http.source(
                    HttpSourceConfig.builder(uri)
                        .retries(3, Duration.ofMillis(10), max)
                        .requestsPerSecond(100)
                        .build()))
            .to(sink)
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.retried()).isEqualTo(1);
    assertThat(sink.size()).isEqualTo(5);
    // The hint was honoured (not the 10 ms backoff) and capped at the maximum (not an hour).
    Duration waited = Duration.ofNanos(arrivals.get(1) - arrivals.get(0));
    assertThat(waited).isGreaterThanOrEqualTo(max).isLessThan(Duration.ofSeconds(10));
  }
}
