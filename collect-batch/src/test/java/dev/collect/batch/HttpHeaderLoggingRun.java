package dev.collect.batch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.collect.core.Pipeline;
import dev.collect.core.PipelineFailedException;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child JVM's HTTP run with secret headers against a server that answers 503, 429, a timeout, a
 * malformed page and then 401; {@link HttpSourceTest} reads its log output (SLF4J simple logger on
 * System.err, the level set by the parent).
 */
final class HttpHeaderLoggingRun {
  static final String AUTHORIZATION = "Bearer auth-s3cr3t-9f1c";
  static final String API_KEY = "key-s3cr3t-77ab";

  private HttpHeaderLoggingRun() {}

  public static void main(String[] args) throws Exception {
    AtomicInteger hits = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/items",
        exchange -> {
          try {
            int hit = hits.incrementAndGet();
            String page = exchange.getRequestURI().getQuery().replaceAll(".*page=(\\d+).*", "$1");
            switch (hit) {
              case 1 -> send(exchange, 503, "down");
              case 2 -> {
                exchange.getResponseHeaders().add("Retry-After", "0");
                send(exchange, 429, "slow down");
              }
              case 3 -> {
                sleep(800); // longer than the request timeout
                send(exchange, 200, "[]");
              }
              default -> {
                switch (page) {
                  case "1" -> send(exchange, 200, "[{\"id\":1},{\"id\":2}]");
                  case "2" -> send(exchange, 200, "[{\"id\": 3");
                  default -> send(exchange, 401, "no");
                }
              }
            }
          } finally {
            exchange.close();
          }
        });
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/items");
    try {
      Pipeline.from(
              Http.source(
                  HttpSourceConfig.builder(uri)
                      .pageSize(2)
                      .header("Authorization", AUTHORIZATION)
                      .header("X-Api-Key", API_KEY)
                      .requestTimeout(Duration.ofMillis(300))
                      .retries(5, Duration.ofMillis(10), Duration.ofMillis(50))
                      .build()))
          .to(new TestSink<>())
          .deadLetters(new TestDeadLetterSink())
          .build()
          .run();
      System.out.println("RESULT completed");
    } catch (PipelineFailedException e) {
      System.out.println("RESULT failed");
    } finally {
      server.stop(0);
      System.exit(0);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    } catch (IOException e) {
      // the client gave up (the timeout on purpose)
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
