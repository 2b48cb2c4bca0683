package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The webhook contract, plus what holds for a source mounted in the user's own server. */
abstract class MountedWebhookEndpointContract extends WebhookEndpointContract {

  @Override
  protected WebhookSource newSource(WebhookSourceConfig config) {
    return Webhook.mounted(config);
  }

  @Test
  void answers503UntilThePipelineOpensTheSourceAndHasNoAddressOfItsOwn() throws Exception {
    source = Webhook.mounted(WebhookSourceConfig.builder().build());
    endpoint = serve(source);

    HttpResponse<String> beforeOpen =
        client.send(
            HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(beforeOpen.statusCode()).isEqualTo(503);
    assertThat(source.buffered()).isZero();
    assertThatThrownBy(source::endpoint)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("mounted");
    assertThatThrownBy(source::health).isInstanceOf(IllegalStateException.class);
  }
}
