package dev.collect.stream.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in server's handler (Jetty's core layer): routes the events and health paths to {@link
 * WebhookProtocol}, everything else to 404. Thread-safe.
 */
final class WebhookHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);

  private final String name;
  private final String path;
  private final String healthPath;
  private final WebhookProtocol protocol;
  private final Supplier<String> health;

  WebhookHandler(
      String name,
      String path,
      String healthPath,
      WebhookProtocol protocol,
      Supplier<String> health) {
    this.name = name;
    this.path = path;
    this.healthPath = healthPath;
    this.protocol = protocol;
    this.health = health;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange exchange = new Exchange(request, response, callback);
    String requested = Request.getPathInContext(request);
    try {
      if (requested.equals(path)) {
        protocol.events(exchange);
      } else if (requested.equals(healthPath)) {
        protocol.health(exchange, health.get());
      } else {
        protocol.notFound(exchange);
      }
    } catch (IOException e) {
      // The client went away or stalled past the idle timeout while sending: nobody to answer.
      LOG.debug("webhook source '{}': request aborted: {}", name, e.toString());
      callback.failed(e);
    }
    return true;
  }

  /** A request on Jetty's core layer, which sends {@code 100 Continue} on the first read. */
  private static final class Exchange implements WebhookExchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private InputStream body;

    Exchange(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String header(String name) {
      return request.getHeaders().get(name);
    }

    @Override
    public long declaredLength() {
      return request.getLength();
    }

    @Override
    public InputStream body() {
      if (body == null) {
        body = Content.Source.asInputStream(request);
      }
      return body;
    }

    @Override
    public boolean continuesOnFirstRead() {
      return true;
    }

    @Override
    public void send(int status, Map<String, String> headers, byte[] body) {
      response.setStatus(status);
      headers.forEach((k, v) -> response.getHeaders().put(k, v));
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }
}
