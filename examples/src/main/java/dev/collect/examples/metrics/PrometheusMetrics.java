package dev.collect.examples.metrics;

import com.sun.net.httpserver.HttpServer;
import dev.collect.core.Collector;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Pipeline;
import dev.collect.core.RunReport;
import dev.collect.core.Sink;
import dev.collect.core.Validator;
import dev.collect.examples.ClickEvent;
import dev.collect.examples.Quickstart;
import dev.collect.examples.support.Await;
import dev.collect.examples.support.EmbeddedKafka;
import dev.collect.examples.support.KafkaTopics;
import dev.collect.stream.Kafka;
import dev.collect.stream.KafkaSourceConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Collect's meters on a Prometheus endpoint: a Kafka clickstream pipeline (JSON collector, Bean
 * Validation, dead letters) registers its {@code collect.*} meters in a {@link
 * PrometheusMeterRegistry}, served at {@code http://localhost:PORT/metrics} for Prometheus to
 * scrape and for the Grafana dashboard {@code examples/grafana/collect-dashboard.json} to chart.
 *
 * <p>Starts a Kafka broker in this JVM unless {@code --bootstrap host:9092} is given, produces the
 * events, and keeps serving the meters for {@code --seconds} after the pipeline settled (default:
 * until the process is stopped).
 */
public final class PrometheusMetrics implements AutoCloseable {
  static final String USAGE =
      "Usage: PrometheusMetrics [--port N, default 9464] [--events N, default 20000]"
          + " [--bootstrap host:9092, default an in-JVM broker] [--seconds N, default forever]"
          + " [--out DIR, default collect-out/metrics]";

  private final EmbeddedKafka embedded;
  private final HttpServer server;
  private final RunReport report;

  private PrometheusMetrics(EmbeddedKafka embedded, HttpServer server, RunReport report) {
    this.embedded = embedded;
    this.server = server;
    this.report = report;
  }

  public static void main(String[] args) throws Exception {
    int port = 9464;
    int events = 20_000;
    long seconds = Long.MAX_VALUE;
    String bootstrap = null;
    Path out = Path.of("collect-out/metrics");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--bootstrap" -> bootstrap = args[++i];
        case "--seconds" -> seconds = Long.parseLong(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.out.println(USAGE);
          return;
        }
      }
    }
    try (PrometheusMetrics metrics = start(port, events, bootstrap, out)) {
      System.out.print(metrics.report().toTable());
      System.out.printf(
          "%nServing the collect.* meters at http://localhost:%d/metrics%n", metrics.port());
      Thread.sleep(seconds == Long.MAX_VALUE ? Long.MAX_VALUE : seconds * 1000);
    }
  }

  /**
   * Serves the meters on {@code port} (0: any free port), produces {@code events} clicks and
   * collects them; returns once the pipeline settled them all, its meters still served.
   */
  public static PrometheusMetrics start(int port, int events, String bootstrap, Path out)
      throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
          }
        });
    server.start();
    EmbeddedKafka embedded = bootstrap == null ? EmbeddedKafka.start() : null;
    try {
      String servers = bootstrap == null ? embedded.bootstrapServers() : bootstrap;
      Files.createDirectories(out);
      Path input = out.resolve("clicks-to-produce.jsonl");
      Quickstart.generate(input, events);
      String topic = "clicks-" + Long.toString(System.currentTimeMillis(), 36);
      KafkaTopics.create(servers, 2, topic);
      int produced = KafkaTopics.produceLines(servers, topic, input);
      Pipeline pipeline =
          Pipeline.from(
                  Kafka.source(
                      KafkaSourceConfig.builder()
                          .bootstrapServers(servers)
                          .groupId("metrics-" + topic)
                          .topics(topic)
                          .build()))
              .collect(Collector.json(ClickEvent.class))
              .validate(Validator.bean(ClickEvent.class))
              .to(Sink.jsonLines(out.resolve(topic + ".jsonl")))
              .deadLetters(DeadLetterSink.jsonLines(out.resolve(topic + ".dead-letters.jsonl")))
              .name("clickstream")
              .workers(2)
              .metrics(registry)
              .build();
      pipeline.start();
      RunReport report =
          Await.settledThenStop(
              pipeline, r -> r.sourceRecords() >= produced, Duration.ofMinutes(2));
      return new PrometheusMetrics(embedded, server, report);
    } catch (Exception | Error e) {
      server.stop(0);
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  /** The port the meters are served on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** What the pipeline did. */
  public RunReport report() {
    return report;
  }

  @Override
  public void close() throws Exception {
    server.stop(0);
    if (embedded != null) {
      embedded.close();
    }
  }
}
