package dev.collect.stream;

import dev.collect.stream.internal.ServletExchange;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.Objects;

/**
 * A {@link WebhookSource}'s events endpoint as a Jakarta Servlet (Servlet 6.0 or later: Jetty 12
 * ee10, Tomcat 10.1, Spring Boot 3), answering through the same code as the built-in server: the
 * same signature check, replay guard, size limits and 429 when the source's buffer is full.
 *
 * <pre>{@code
 * WebhookSource source = Webhook.mounted(config);
 * context.addServlet(new ServletHolder(new WebhookServlet(source)), "/hooks/events"); // Jetty
 * new ServletRegistrationBean<>(new WebhookServlet(source), "/hooks/events");         // Spring
 * }</pre>
 *
 * <p>Every request mapped to it is taken as a request to the events endpoint; methods other than
 * {@code POST} get 405. It answers 503 until the pipeline has opened the source and again once the
 * source drains. Blocking I/O on the container's request threads; thread-safe. The servlet API is
 * {@code provided}: only applications that use this class need it, and their container has it.
 */
public final class WebhookServlet extends HttpServlet {
  @Serial private static final long serialVersionUID = 1L;

  private final transient WebhookSource source;

  /** A servlet for {@code source}, made by {@link Webhook#mounted} (or {@link Webhook#source}). */
  public WebhookServlet(WebhookSource source) {
    Objects.requireNonNull(source, "source");
    if (!ServletExchange.accepts(source)) {
      throw new IllegalArgumentException(
          "source must come from Webhook.mounted(...) or Webhook.source(...), but was a "
              + source.getClass().getName());
    }
    this.source = source;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    ServletExchange.serve(source, request, response);
  }
}
