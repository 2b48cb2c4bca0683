package dev.collect.batch.internal.http;

import dev.collect.batch.HttpSourceConfig;
import dev.collect.batch.HttpStatusException;
import dev.collect.core.CollectException;
import dev.collect.core.RetriableCollectException;
import dev.collect.core.spi.Retrier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs with a client-side rate limit and retries of 429, 5xx, I/O errors and timeouts; each retry
 * is reported to {@code onRetry} (the pipeline's retry count).
 */
final class Requests {
  private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
  private final HttpSourceConfig config;
  private final HttpClient client;
  private final RequestWindow limiter;
  private final Retrier retrier;
  private final Set<String> shownParams;

  Requests(HttpSourceConfig config, Runnable onRetry) {
    this.config = config;
    this.shownParams = shownParams(config);
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.limiter = new RequestWindow(config.requestsPerSecond());
    // Exponential backoff with jitter, or the wait a 429/503 asks for in Retry-After (capped).
    this.retrier =
        Retrier.builder()
            .maxAttempts(config.maxAttempts())
            .backoff(config.initialBackoff(), 2.0, 0.5, config.maxBackoff())
            .retryOn(e -> e instanceof IOException || e instanceof RetryableStatus)
            .waitHint(
                e ->
                    e instanceof RetryableStatus status
                        ? status.retryAfter
                        : java.util.Optional.empty())
            .onRetry(onRetry)
            .build();
  }

  private static Set<String> shownParams(HttpSourceConfig config) {
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
    try {
      return retrier.call(attempt -> send(uri));
    } catch (RetryableStatus | IOException e) {
      throw new RetriableCollectException(
          "giving up on GET "
              + redacted(uri)
              + " after "
              + config.maxAttempts()
              + " attempts: "
              + (e instanceof RetryableStatus ? e.getMessage() : e.getClass().getSimpleName()));
    } catch (InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // send throws nothing else: a failure here is a bug of the source, not of the API
      throw new CollectException(
          "unexpected failure of GET "
              + redacted(uri)
              + " ("
              + e.getClass().getSimpleName()
              + "); this is a bug of the HTTP source, please report it",
          e);
    }
  }

  private HttpResponse<byte[]> send(URI uri)
      throws IOException, InterruptedException, RetryableStatus {
    limiter.acquire();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(config.requestTimeout()).GET();
    config.headers().forEach(request::header);
    request.header("Accept", "application/json");
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      LOG.debug("{}: {} on {}", config.name(), e.getClass().getSimpleName(), uri.getPath());
      throw e;
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
    LOG.debug("{}: HTTP {} on {}", config.name(), status, uri.getPath());
    throw new RetryableStatus(status, retryAfter(response));
  }

  /** A 429 or 5xx answer, with the wait its {@code Retry-After} asks for. */
  private static final class RetryableStatus extends Exception {
    final java.util.Optional<Duration> retryAfter;

    RetryableStatus(int status, java.util.Optional<Duration> retryAfter) {
      super("HTTP " + status, null, false, false);
      this.retryAfter = retryAfter;
    }
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
}
