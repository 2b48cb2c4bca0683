package dev.collect.stream;

import java.net.URI;

/** The webhook contract on the built-in server ({@link Webhook#source}). */
class BuiltInWebhookEndpointIT extends WebhookEndpointContract {

  @Override
  protected WebhookSource newSource(WebhookSourceConfig config) {
    return Webhook.source(config);
  }

  @Override
  protected URI serve(WebhookSource source) {
    return source.endpoint();
  }
}
