package dev.collect.batch.internal.http;

import dev.collect.batch.HttpSource;
import dev.collect.batch.HttpStatusException;
import dev.collect.core.RetriableCollectException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs with a client-side rate limit and retries of 429, 5xx, I/O errors and timeouts; each retry
 * is reported to {@code onRetry} (the pipeline's retry count).
 */
final class Requests {
  private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
  private final HttpSource.Config config;
  private final HttpClient client;
  private final RequestWindow limiter;
  private final Runnable onRetry;
  private final Set<String> shownParams;

  Requests(HttpSource.Config config, Runnable onRetry) {
    this.config = config;
    this.onRetry = onRetry;
    this.shownParams = shownParams(config);
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.limiter = new RequestWindow(config.requestsPerSecond());
  }

  private static Set<String> shownParams(HttpSource.Config config) {
    return config.sizeParam() == null
        ? Set.of(config.pageParam())
        : Set.of(config.pageParam(), config.sizeParam());
  }

  /** {@code uri} as it may appear in messages and dead letters (no credentials, no secrets). */
  String redacted(URI uri) {
    return Uris.redacted(uri, shownParams);
  }

  /** The successful response to GET {@code uri}. */
  HttpResponse<byte[]> get(URI uri) throws InterruptedException {
    String lastError = null;
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      limiter.acquire();
      Duration wait;
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(uri).timeout(config.requestTimeout()).GET();
        config.headers().forEach(request::header);
        request.header("Accept", "application/json");
        HttpResponse<byte[]> response;
        try {
          response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } finally {
          limiter.release();
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return response;
        }
        if (status != 429 && status < 500) {
          throw new HttpStatusException(status, redacted(uri));
        }
        lastError = "HTTP " + status;
        wait = retryAfter(response).orElse(backoff(attempt));
      } catch (IOException e) {
        lastError = e.getClass().getSimpleName();
        wait = backoff(attempt);
      }
      if (attempt < config.maxAttempts()) {
        onRetry.run();
        LOG.debug(
            "{}: {} on {}, retrying in {} ms",
            config.name(),
            lastError,
            uri.getPath(),
            wait.toMillis());
        Thread.sleep(wait.toMillis());
      }
    }
    throw new RetriableCollectException(
        "giving up on GET "
            + redacted(uri)
            + " after "
            + config.maxAttempts()
            + " attempts: "
            + lastError);
  }

  private java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(
            value -> {
              try {
                return Duration.ofSeconds(Long.parseLong(value.trim()));
              } catch (NumberFormatException e) {
                try {
                  ZonedDateTime at =
                      ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                  return Duration.between(ZonedDateTime.now(), at);
                } catch (RuntimeException unparsable) {
                  return null;
                }
              }
            })
        .map(d -> d.isNegative() ? Duration.ZERO : d)
        .map(d -> d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d);
  }

  private Duration backoff(int attempt) {
    long base = config.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, config.maxBackoff().toMillis());
    // Full jitter in [capped/2, capped]: clients that failed together do not retry together.
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }
}
