package dev.collect.stream;

import dev.collect.stream.internal.WebhookSourceImpl;

/**
 * Webhook sources: events POSTed over HTTP. See {@link WebhookSource} for the protocol and {@link
 * WebhookSignature} for signing.
 *
 * <p>The server is Jetty's core HTTP/1.1 layer (no servlets). It speaks HTTP/1.1 without TLS: bind
 * it to loopback (the default) or a private network and terminate TLS in a proxy. It changes no
 * JVM-wide setting.
 */
public final class Webhook {
  private Webhook() {}

  /** A webhook source; the server starts when the pipeline opens the source. */
  public static WebhookSource source(WebhookSourceConfig config) {
    return new WebhookSourceImpl(config);
  }
}
