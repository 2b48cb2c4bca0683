package dev.collect.stream.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One webhook request and its answer as {@link WebhookProtocol} sees them, whatever server carries
 * them: Jetty's core layer (the built-in server), the JDK's {@code HttpServer} or a servlet
 * container. One per request; not thread-safe.
 */
interface WebhookExchange {

  /** The request method, e.g. {@code POST}. */
  String method();

  /** The first value of a request header, or null. */
  String header(String name);

  /** The declared body length ({@code Content-Length}), or -1 when unknown (chunked). */
  long declaredLength();

  /** The request body; on some servers the first read sends {@code 100 Continue}. */
  InputStream body() throws IOException;

  /**
   * Whether this server sends {@code 100 Continue} only when the body is first read, so that a
   * client that asked for it has sent nothing until then (Jetty, and servlet containers such as
   * Jetty and Tomcat). False for the JDK's server, which answers {@code 100} before the handler
   * runs.
   */
  boolean continuesOnFirstRead();

  /**
   * Sends the final answer, a JSON body, with {@code headers} added; {@code close} asks the server
   * to close the connection afterwards (the client may still be sending a body nobody reads).
   */
  default void respond(int status, Map<String, String> headers, String json, boolean close)
      throws IOException {
    Map<String, String> all = new LinkedHashMap<>(headers);
    if (close) {
      all.put("Connection", "close");
    }
    all.put("Content-Type", "application/json");
    send(status, all, json.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends the final answer with exactly these headers and this body, of known length. */
  void send(int status, Map<String, String> headers, byte[] body) throws IOException;
}
