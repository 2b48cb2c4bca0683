package dev.collect.stream.internal;

import dev.collect.core.MalformedRecordException;
import dev.collect.stream.WebhookSignature;
import dev.collect.stream.WebhookSourceConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's events endpoint, independent of the server that carries it: checks method, state,
 * size and signature (with the replay guard), splits the body into events and hands them to the
 * source's buffer, all or nothing, answering 202 / 400 / 401 / 405 / 413 / 429 / 503. The built-in
 * Jetty server, the JDK {@code HttpHandler} and the servlet all answer through this one class, so
 * they cannot differ. Blocking (it reads the body on the server's request thread). Thread-safe.
 */
final class WebhookProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookProtocol.class);

  /** Receives one request's events with the headers they share; false when they do not fit. */
  interface Intake {
    boolean offer(List<byte[]> events, Map<String, String> headers);
  }

  private final WebhookSourceConfig config;
  private final ReplayGuard replays;
  private final Intake intake;
  private final BooleanSupplier running;
  private final Supplier<WebhookMeters> meters;

  WebhookProtocol(
      WebhookSourceConfig config,
      ReplayGuard replays,
      Intake intake,
      BooleanSupplier running,
      Supplier<WebhookMeters> meters) {
    this.config = config;
    this.replays = replays;
    this.intake = intake;
    this.running = running;
    this.meters = meters;
  }

  /** Whether the source takes requests (opened and not draining). */
  boolean running() {
    return running.getAsBoolean();
  }

  /**
   * Answers one request to the events endpoint. An {@link IOException} means the client went away
   * or stalled while sending: there is nobody to answer.
   */
  void events(WebhookExchange exchange) throws IOException {
    try {
      answer(exchange);
    } catch (RuntimeException e) {
      LOG.warn("webhook source '{}': request failed: {}", config.name(), e.toString());
      respond(exchange, 500, Map.of(), error("internal error"), true);
    }
  }

  /** Answers a request for a path the source does not serve (built-in server only). */
  void notFound(WebhookExchange exchange) throws IOException {
    refuse(new RequestBody(exchange), exchange, 404, Map.of(), error("no such path"));
  }

  /** Answers the health path (built-in server only). */
  void health(WebhookExchange exchange, String json) throws IOException {
    respond(exchange, running() ? 200 : 503, Map.of(), json, false);
  }

  private void answer(WebhookExchange exchange) throws IOException {
    RequestBody body = new RequestBody(exchange);
    if (!"POST".equals(exchange.method())) {
      refuse(body, exchange, 405, Map.of("Allow", "POST"), error("use POST"));
      return;
    }
    if (!running()) {
      refuse(body, exchange, 503, Map.of(), error("the source is stopping"));
      return;
    }
    String tooLarge = error("body exceeds " + config.maxBodyBytes() + " bytes");
    if (body.declaredLength() > config.maxBodyBytes()) {
      refuse(body, exchange, 413, Map.of(), tooLarge);
      return;
    }
    byte[] bytes = body.readAtMost(config.maxBodyBytes());
    if (bytes == null) {
      respond(exchange, 413, Map.of(), tooLarge, true);
      return;
    }
    byte[] mac = null;
    if (config.secret() != null) {
      String signature = exchange.header(WebhookSignature.SIGNATURE_HEADER);
      String timestamp = exchange.header(WebhookSignature.TIMESTAMP_HEADER);
      SignatureCheck check = SignatureCheck.of(config, replays, bytes, signature, timestamp);
      if (check.problem() != null) {
        respond(exchange, 401, Map.of(), error(check.problem()), false);
        return;
      }
      mac = check.mac();
    }
    List<byte[]> events;
    try {
      events = EventSplitter.split(bytes, config.maxEventsPerRequest());
    } catch (MalformedRecordException e) {
      release(mac);
      respond(exchange, 400, Map.of(), error(e.getMessage()), false);
      return;
    }
    if (!intake.offer(events, TraceContext.from(exchange::header))) {
      release(mac);
      String retryAfter = String.valueOf(Math.max(1, config.retryAfter().toSeconds()));
      respond(
          exchange,
          429,
          Map.of("Retry-After", retryAfter),
          error("the pipeline is full, retry later"),
          false);
      return;
    }
    respond(exchange, 202, Map.of(), "{\"accepted\":" + events.size() + "}", false);
  }

  private void release(byte[] mac) {
    if (mac != null) {
      replays.release(mac);
    }
  }

  /** Answers before the body was read: discards it first (see {@link RequestBody}). */
  private void refuse(
      RequestBody body,
      WebhookExchange exchange,
      int status,
      Map<String, String> headers,
      String json)
      throws IOException {
    respond(exchange, status, headers, json, !body.discardBeforeRefusal());
  }

  private void respond(
      WebhookExchange exchange, int status, Map<String, String> headers, String json, boolean close)
      throws IOException {
    WebhookMeters m = meters.get();
    if (m != null) {
      m.response(status);
    }
    exchange.respond(status, headers, json, close);
  }

  private static String error(String reason) {
    return "{\"error\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
  }
}
