package dev.collect.stream.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The events endpoint as a JDK {@link HttpHandler}: every request it is given is a request to the
 * events endpoint (the server's context decides the path). The JDK's server answers {@code 100
 * Continue} before the handler runs, so an oversized body is always read (and discarded, up to 64
 * MiB) before the 413. Thread-safe.
 */
final class JdkWebhookHandler implements HttpHandler {
  private final WebhookProtocol protocol;

  JdkWebhookHandler(WebhookProtocol protocol) {
    this.protocol = protocol;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      protocol.events(new Exchange(exchange));
    }
  }

  private static final class Exchange implements WebhookExchange {
    private final HttpExchange exchange;

    Exchange(HttpExchange exchange) {
      this.exchange = exchange;
    }

    @Override
    public String method() {
      return exchange.getRequestMethod();
    }

    @Override
    public String header(String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public long declaredLength() {
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      if (length == null) {
        return -1;
      }
      try {
        return Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    @Override
    public InputStream body() {
      return exchange.getRequestBody();
    }

    @Override
    public boolean continuesOnFirstRead() {
      return false;
    }

    @Override
    public void send(int status, Map<String, String> headers, byte[] body) throws IOException {
      headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
