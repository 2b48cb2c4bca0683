package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.Envelope;
import dev.collect.core.Source;
import dev.collect.core.contract.SourceContract;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@link Webhook#source} over loopback HTTP: a push source that keeps accepted events in memory
 * only (a 202 is not a durable receipt), so it does not resume from commits.
 */
class WebhookSourceContractIT extends SourceContract<byte[]> {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private WebhookSource last;

  @Override
  protected boolean inputArrivesAfterOpen() {
    return true;
  }

  @Override
  protected boolean resumesFromCommits() {
    return false;
  }

  @Override
  protected void write(List<String> ids) throws Exception {
    String body =
        ids.stream().map(id -> "{\"id\":\"" + id + "\"}").collect(Collectors.joining("\n"));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(last.endpoint())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(202);
  }

  @Override
  protected Source<byte[]> newSource() {
    last = Webhook.source(WebhookSourceConfig.builder().port(0).build());
    return last;
  }

  @Override
  protected String idOf(Envelope<byte[]> envelope) {
    String json = new String(envelope.value(), StandardCharsets.UTF_8);
    return json.substring(json.indexOf(":\"") + 2, json.lastIndexOf('"'));
  }

  @Override
  protected boolean isBounded() {
    return false;
  }
}
