package dev.collect.stream;

import dev.collect.stream.internal.WebhookSourceImpl;

/**
 * Webhook sources: events POSTed over HTTP. See {@link WebhookSource} for the protocol and {@link
 * WebhookSignature} for signing.
 *
 * <p>Two ways to receive: {@link #source} runs a built-in server (Jetty's core HTTP/1.1 layer, no
 * servlets), plain HTTP or, with {@link WebhookSourceConfig.Builder#tls}, HTTPS; it changes no
 * JVM-wide setting. {@link #mounted} runs no server: mount {@link WebhookSource#httpHandler()} or a
 * {@link WebhookServlet} in the server your application already runs. Both answer through the same
 * code.
 */
public final class Webhook {
  private Webhook() {}

  /** A webhook source; the server starts when the pipeline opens the source. */
  public static WebhookSource source(WebhookSourceConfig config) {
    return new WebhookSourceImpl(config, true);
  }

  /**
   * A webhook source without a server of its own: mount its {@link WebhookSource#httpHandler()} or
   * a {@link WebhookServlet} in your server. The config's {@code host}, {@code port}, {@code path},
   * {@code healthPath}, {@code threads} and TLS settings are not used; the path is where you mount
   * it, and TLS is your server's.
   */
  public static WebhookSource mounted(WebhookSourceConfig config) {
    return new WebhookSourceImpl(config, false);
  }
}
