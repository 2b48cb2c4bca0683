package dev.collect.stream.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.MetricNames;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.stream.WebhookSignature;
import dev.collect.stream.WebhookSource;
import dev.collect.stream.WebhookSourceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook source on the JDK's built-in HTTP server ({@code jdk.httpserver}): no dependency, and
 * one POST endpoint plus a health check is all it needs to do. Requests are answered from a fixed
 * pool of threads; accepted events wait in a bounded buffer for the pipeline's reader thread.
 */
public final class WebhookSourceImpl implements WebhookSource {
  private static final Logger log = LoggerFactory.getLogger(WebhookSourceImpl.class);

  private final WebhookSourceConfig config;
  private final BoundedBuffer<Envelope<byte[]>> buffer;
  private final ReplayGuard replays;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<Integer, Counter> responses = new ConcurrentHashMap<>();
  private HttpServer server;
  private ExecutorService executor;
  private MeterRegistry registry;
  private String pipeline;
  private volatile boolean running;

  public WebhookSourceImpl(WebhookSourceConfig config) {
    this.config = config;
    this.buffer = new BoundedBuffer<>(config.bufferEvents(), config.bufferBytes());
    this.replays = new ReplayGuard(100_000, config.timestampTolerance().toSeconds());
  }

  @Override
  public String name() {
    return config.name();
  }

  static {
    // The JDK server writes headers and body in separate packets; with Nagle's algorithm on, the
    // client's delayed ACK stalls each response ~40 ms. Read once per JVM, so only if unset.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  @Override
  public void open(PipelineContext context) throws IOException {
    this.registry = context.meterRegistry();
    this.pipeline = context.pipeline();
    server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 256);
    executor =
        Executors.newFixedThreadPool(
            config.threads(),
            r -> {
              Thread t = new Thread(r, "collect-webhook-" + config.name());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(config.path(), this::handleEvents);
    server.createContext(config.healthPath(), this::handleHealth);
    server.start();
    running = true;
    log.info("webhook source '{}' listening on {}", name(), endpoint());
  }

  @Override
  public URI endpoint() {
    return uri(config.path());
  }

  @Override
  public URI health() {
    return uri(config.healthPath());
  }

  private URI uri(String path) {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + config.host() + ":" + address.getPort() + path);
  }

  @Override
  public boolean drain(Duration timeout) throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (buffer.size() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  @Override
  public int buffered() {
    return buffer.size();
  }

  @Override
  public List<Envelope<byte[]>> poll(int maxRecords, Duration timeout) throws InterruptedException {
    return buffer.poll(maxRecords, timeout);
  }

  @Override
  public void commit(Position position) {
    // Nothing to acknowledge: each request was answered when its events entered the buffer.
  }

  private void handleEvents(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        respond(exchange, 405, "{\"error\":\"use POST\"}");
        return;
      }
      if (!running) {
        respond(exchange, 503, "{\"error\":\"the source is stopping\"}");
        return;
      }
      byte[] body = readBody(exchange);
      if (body == null) {
        respond(exchange, 413, error("body exceeds " + config.maxBodyBytes() + " bytes"));
        return;
      }
      String signature = null;
      if (config.secret() != null) {
        signature = exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER);
        String problem = checkSignature(exchange, body, signature);
        if (problem != null) {
          respond(exchange, 401, error(problem));
          return;
        }
      }
      List<byte[]> events;
      try {
        events = EventSplitter.split(body, config.maxEventsPerRequest());
      } catch (MalformedRecordException e) {
        release(signature);
        respond(exchange, 400, error(e.getMessage()));
        return;
      }
      if (!enqueue(events)) {
        release(signature);
        exchange
            .getResponseHeaders()
            .set("Retry-After", String.valueOf(Math.max(1, config.retryAfter().toSeconds())));
        respond(exchange, 429, error("the pipeline is full, retry later"));
        return;
      }
      respond(exchange, 202, "{\"accepted\":" + events.size() + "}");
    } catch (RuntimeException e) {
      log.warn("webhook source '{}': request failed: {}", name(), e.toString());
      respond(exchange, 500, error("internal error"));
    }
  }

  private void release(String signature) {
    if (signature != null) {
      replays.release(signature);
    }
  }

  /** Null when the signature is good (and reserved against replays), else the reason. */
  private String checkSignature(HttpExchange exchange, byte[] body, String signature) {
    String timestampHeader =
        exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER);
    if (signature == null || timestampHeader == null) {
      return "missing "
          + WebhookSignature.SIGNATURE_HEADER
          + " or "
          + WebhookSignature.TIMESTAMP_HEADER
          + " header";
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return WebhookSignature.TIMESTAMP_HEADER + " is not Unix seconds";
    }
    long now = config.clock().instant().getEpochSecond();
    if (Math.abs(now - timestamp) > config.timestampTolerance().toSeconds()) {
      return "timestamp outside the tolerance of " + config.timestampTolerance().toSeconds() + " s";
    }
    if (!WebhookSignature.verify(config.secret(), timestamp, body, signature)) {
      return "signature does not match";
    }
    if (!replays.reserve(signature, timestamp, now)) {
      return "replayed request";
    }
    return null;
  }

  private boolean enqueue(List<byte[]> events) {
    List<Envelope<byte[]>> envelopes = new ArrayList<>(events.size());
    long[] sizes = new long[events.size()];
    Instant now = Instant.now();
    synchronized (sequence) {
      // Sequence numbers follow buffer order, so positions grow in delivery order.
      long first = sequence.get();
      for (int i = 0; i < events.size(); i++) {
        byte[] event = events.get(i);
        envelopes.add(
            Envelope.builder(event)
                .raw(event)
                .ingestTime(now)
                .source(config.name())
                .position(Position.sequence(first + i))
                .build());
        sizes[i] = 96L + event.length;
      }
      if (!buffer.offerAll(envelopes, sizes)) {
        return false;
      }
      sequence.addAndGet(events.size());
      return true;
    }
  }

  /** The body, or null when it is larger than the limit (read no further than the limit). */
  private byte[] readBody(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > config.maxBodyBytes()) {
          return null;
        }
      } catch (NumberFormatException ignored) {
        // Read and count instead.
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(config.maxBodyBytes() + 1);
      return body.length > config.maxBodyBytes() ? null : body;
    }
  }

  private void handleHealth(HttpExchange exchange) throws IOException {
    try (exchange) {
      int status = running ? 200 : 503;
      respond(
          exchange,
          status,
          "{\"status\":\""
              + (running ? "UP" : "DOWN")
              + "\",\"buffered\":"
              + buffer.size()
              + ",\"capacity\":"
              + buffer.capacity()
              + "}");
    }
  }

  private static String error(String reason) {
    return "{\"error\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
  }

  private void respond(HttpExchange exchange, int status, String json) throws IOException {
    count(status);
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void count(int status) {
    if (registry == null) {
      return;
    }
    responses
        .computeIfAbsent(
            status,
            s ->
                Counter.builder("collect.webhook.responses")
                    .description("HTTP responses of the webhook source by status")
                    .tags(
                        MetricNames.TAG_PIPELINE,
                        pipeline,
                        MetricNames.TAG_SOURCE,
                        config.name(),
                        "status",
                        String.valueOf(s))
                    .register(registry))
        .increment();
  }

  @Override
  public void close() {
    running = false;
    int left = buffer.size();
    if (left > 0) {
      // Answered 202 but never processed: call drain() before stopping the pipeline.
      log.warn("webhook source '{}' closed with {} accepted events not processed", name(), left);
    }
    if (server != null) {
      server.stop(1);
      executor.shutdownNow();
    }
  }
}
