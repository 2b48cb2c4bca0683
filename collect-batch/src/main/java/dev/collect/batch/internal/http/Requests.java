package dev.collect.batch.internal.http;

import dev.collect.batch.HttpSource;
import dev.collect.core.RetriableCollectException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** GETs with a client-side rate limit and retries of 429, 5xx, I/O errors and timeouts. */
final class Requests {
  private static final Logger LOG = LoggerFactory.getLogger(Requests.class);
  private final HttpSource.Config config;
  private final HttpClient client;
  private final RateLimiter limiter;
  private long retries;

  Requests(HttpSource.Config config) {
    this.config = config;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.limiter =
        RateLimiter.of(
            config.name(),
            RateLimiterConfig.custom()
                .limitForPeriod(config.requestsPerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ofMinutes(10))
                .build());
  }

  /** The successful response to GET {@code uri}. */
  HttpResponse<byte[]> get(URI uri) throws InterruptedException {
    String lastError = null;
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      if (!limiter.acquirePermission()) {
        throw new RetriableCollectException(
            "no request permitted by the rate limiter in 10 minutes");
      }
      Duration wait;
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(uri).timeout(config.requestTimeout()).GET();
        config.headers().forEach(request::header);
        request.header("Accept", "application/json");
        HttpResponse<byte[]> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return response;
        }
        if (status != 429 && status < 500) {
          throw new IllegalStateException(
              "HTTP " + status + " for " + uri.getPath() + ": not retried; check the request");
        }
        lastError = "HTTP " + status;
        wait = retryAfter(response).orElse(backoff(attempt));
      } catch (IOException e) {
        lastError = e.getClass().getSimpleName();
        wait = backoff(attempt);
      }
      if (attempt < config.maxAttempts()) {
        retries++;
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
        "giving up on "
            + uri.getPath()
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

  long retries() {
    return retries;
  }
}
