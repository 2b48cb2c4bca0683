package dev.collect.stream.internal;

import dev.collect.core.MalformedRecordException;
import dev.collect.stream.WebhookSignature;
import dev.collect.stream.WebhookSourceConfig;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the webhook's two paths: checks method, state, size and signature, splits the body into
 * events and hands them to the source's buffer, all or nothing. Blocking (it reads the body on
 * Jetty's request threads). Thread-safe.
 */
final class WebhookHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);

  private final WebhookSourceConfig config;
  private final ReplayGuard replays;
  private final Predicate<List<byte[]>> enqueue;
  private final BooleanSupplier running;
  private final Supplier<String> health;
  private final WebhookMeters meters;

  WebhookHandler(
      WebhookSourceConfig config,
      ReplayGuard replays,
      Predicate<List<byte[]>> enqueue,
      BooleanSupplier running,
      Supplier<String> health,
      WebhookMeters meters) {
    this.config = config;
    this.replays = replays;
    this.enqueue = enqueue;
    this.running = running;
    this.health = health;
    this.meters = meters;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    try {
      if (path.equals(config.path())) {
        events(request, response, callback);
      } else if (path.equals(config.healthPath())) {
        respond(response, callback, running.getAsBoolean() ? 200 : 503, health.get());
      } else {
        refuse(new RequestBody(request), response, callback, 404, error("no such path"));
      }
    } catch (IOException e) {
      // The client went away or stalled past the idle timeout while sending: nobody to answer.
      log.debug("webhook source '{}': request aborted: {}", config.name(), e.toString());
      callback.failed(e);
    } catch (RuntimeException e) {
      log.warn("webhook source '{}': request failed: {}", config.name(), e.toString());
      respond(response, callback, 500, error("internal error"));
    }
    return true;
  }

  private void events(Request request, Response response, Callback callback) throws IOException {
    RequestBody body = new RequestBody(request);
    if (!"POST".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      refuse(body, response, callback, 405, error("use POST"));
      return;
    }
    if (!running.getAsBoolean()) {
      refuse(body, response, callback, 503, error("the source is stopping"));
      return;
    }
    String tooLarge = error("body exceeds " + config.maxBodyBytes() + " bytes");
    if (body.declaredLength() > config.maxBodyBytes()) {
      refuse(body, response, callback, 413, tooLarge);
      return;
    }
    byte[] bytes = body.readAtMost(config.maxBodyBytes());
    if (bytes == null) {
      respondAndClose(response, callback, 413, tooLarge);
      return;
    }
    byte[] mac = null;
    if (config.secret() != null) {
      String signature = request.getHeaders().get(WebhookSignature.SIGNATURE_HEADER);
      String timestamp = request.getHeaders().get(WebhookSignature.TIMESTAMP_HEADER);
      SignatureCheck check = SignatureCheck.of(config, replays, bytes, signature, timestamp);
      if (check.problem() != null) {
        respond(response, callback, 401, error(check.problem()));
        return;
      }
      mac = check.mac();
    }
    List<byte[]> events;
    try {
      events = EventSplitter.split(bytes, config.maxEventsPerRequest());
    } catch (MalformedRecordException e) {
      release(mac);
      respond(response, callback, 400, error(e.getMessage()));
      return;
    }
    if (!enqueue.test(events)) {
      release(mac);
      response
          .getHeaders()
          .put(HttpHeader.RETRY_AFTER, Math.max(1, config.retryAfter().toSeconds()));
      respond(response, callback, 429, error("the pipeline is full, retry later"));
      return;
    }
    respond(response, callback, 202, "{\"accepted\":" + events.size() + "}");
  }

  private void release(byte[] mac) {
    if (mac != null) {
      replays.release(mac);
    }
  }

  /** Answers before the body was read: discards it first (see {@link RequestBody}). */
  private void refuse(
      RequestBody body, Response response, Callback callback, int status, String json)
      throws IOException {
    if (body.discardBeforeRefusal()) {
      respond(response, callback, status, json);
    } else {
      respondAndClose(response, callback, status, json);
    }
  }

  private void respondAndClose(Response response, Callback callback, int status, String json) {
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    respond(response, callback, status, json);
  }

  private void respond(Response response, Callback callback, int status, String json) {
    meters.response(status);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    Content.Sink.write(response, true, json, callback);
  }

  private static String error(String reason) {
    return "{\"error\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
  }
}
