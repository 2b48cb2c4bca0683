package dev.collect.stream.internal;

import dev.collect.stream.WebhookSource;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * A servlet request to the events endpoint, answered by the source's {@link WebhookProtocol}.
 * Containers (Jetty, Tomcat, Undertow) send {@code 100 Continue} when the body is first read. Kept
 * apart from {@link WebhookSourceImpl} so that only users of the servlet load the servlet API.
 */
public final class ServletExchange implements WebhookExchange {
  private final HttpServletRequest request;
  private final HttpServletResponse response;

  private ServletExchange(HttpServletRequest request, HttpServletResponse response) {
    this.request = request;
    this.response = response;
  }

  /** Answers one request with the protocol of {@code source} (made by {@code Webhook}). */
  public static void serve(
      WebhookSource source, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    ((WebhookSourceImpl) source).protocol().events(new ServletExchange(request, response));
  }

  /** Whether {@code source} can be served here (it was made by {@code Webhook}). */
  public static boolean accepts(WebhookSource source) {
    return source instanceof WebhookSourceImpl;
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public String header(String name) {
    return request.getHeader(name);
  }

  @Override
  public long declaredLength() {
    return request.getContentLengthLong();
  }

  @Override
  public InputStream body() throws IOException {
    return request.getInputStream();
  }

  @Override
  public boolean continuesOnFirstRead() {
    return true;
  }

  @Override
  public void send(int status, Map<String, String> headers, byte[] body) throws IOException {
    response.setStatus(status);
    headers.forEach(response::setHeader);
    response.setContentLength(body.length);
    OutputStream out = response.getOutputStream();
    out.write(body);
    out.flush();
  }
}
