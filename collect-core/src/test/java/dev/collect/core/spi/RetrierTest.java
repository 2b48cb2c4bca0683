package dev.collect.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RetrierTest {
  private static final Duration MS = Duration.ofMillis(1);

  private final AtomicInteger retries = new AtomicInteger();

  private Retrier.Builder fast() {
    return Retrier.builder().backoff(MS, 2.0, 0.5, MS).onRetry(retries::incrementAndGet);
  }

  @Test
  void aTransientFailureIsTriedAgainUntilItSucceeds() throws Exception {
    List<Integer> attempts = new ArrayList<>();

    String result =
        fast()
            .maxAttempts(5)
            .build()
            .call(
                attempt -> {
                  attempts.add(attempt);
                  if (attempt < 3) {
                    throw new IOException("down");
                  }
                  return "ok";
                });

    assertThat(result).isEqualTo("ok");
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(retries).hasValue(2);
  }

  @Test
  void stopsAfterMaxAttemptsWithTheLastFailure() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                fast()
                    .maxAttempts(4)
                    .build()
                    .call(
                        attempt -> {
                          calls.incrementAndGet();
                          throw new IOException("attempt " + attempt);
                        }))
        .isInstanceOf(IOException.class)
        .hasMessage("attempt 4");
    assertThat(calls).hasValue(4);
    assertThat(retries).hasValue(3);
  }

  @Test
  void aFailureThatIsNotRetryableIsThrownAtOnce() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                fast()
                    .maxAttempts(5)
                    .retryOn(e -> e instanceof IOException)
                    .build()
                    .call(
                        attempt -> {
                          calls.incrementAndGet();
                          throw new IllegalArgumentException("bad record");
                        }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad record");
    assertThat(calls).hasValue(1);
    assertThat(retries).hasValue(0);
  }

  @Test
  void aFailureThatTurnsNonRetryableStopsTheRetries() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                fast()
                    .maxAttempts(10)
                    .retryOn(e -> e instanceof IOException)
                    .build()
                    .call(
                        attempt -> {
                          calls.incrementAndGet();
                          if (attempt == 2) {
                            throw new IllegalStateException("fatal");
                          }
                          throw new IOException("down");
                        }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(calls).hasValue(2);
  }

  @Test
  void anExhaustedBudgetStopsRetryingWhateverTheAttemptsLeft() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                fast()
                    .maxAttempts(Integer.MAX_VALUE)
                    .budget(Duration.ZERO)
                    .build()
                    .call(
                        attempt -> {
                          calls.incrementAndGet();
                          throw new IOException("down");
                        }))
        .isInstanceOf(IOException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void aBudgetEndsAnEndlessOutage() {
    assertThatThrownBy(
            () ->
                fast()
                    .maxAttempts(Integer.MAX_VALUE)
                    .budget(Duration.ofMillis(50))
                    .build()
                    .call(
                        attempt -> {
                          throw new IOException("down");
                        }))
        .isInstanceOf(IOException.class);
    assertThat(retries.get()).isPositive();
  }

  @Test
  void retryAfterGoesOnFromTheSecondAttempt() throws Exception {
    List<Integer> attempts = new ArrayList<>();

    int result =
        fast()
            .build()
            .retryAfter(
                new IOException("first"),
                attempt -> {
                  attempts.add(attempt);
                  return attempt;
                });

    assertThat(result).isEqualTo(2);
    assertThat(attempts).containsExactly(2);
  }

  @Test
  void theDefaultBackoffDoublesFrom100MsWithinHalfAJitterAndNeverWaitsOver10s() {
    Retrier retrier = Retrier.of(RetryPolicy.defaults()).build();
    for (int attempt = 1; attempt <= 12; attempt++) {
      long base = 100L << (attempt - 1); // 100 ms doubling, then jittered by +-50 %, then capped
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        long wait = retrier.interval(attempt).toMillis();
        assertThat(wait)
            .as("attempt %d", attempt)
            .isBetween(Math.min(10_000, base / 2), Math.min(10_000, base + base / 2));
        seen.add(wait);
      }
      if (base + base / 2 < 10_000) {
        assertThat(seen).as("jittered waits after attempt %d", attempt).hasSizeGreaterThan(20);
      }
    }
  }

  @Test
  void aWaitHintReplacesTheBackoff() throws Exception {
    // A 30 s backoff, and a hint of 200 ms: the retry comes after the hint's wait, not the
    // backoff's.
    Duration backoff = Duration.ofSeconds(30);
    List<Long> gapsMillis = new ArrayList<>();
    long[] last = {System.nanoTime()};

    Retrier.builder()
        .backoff(backoff, 2.0, 0.0, backoff)
        .waitHint(e -> Optional.of(Duration.ofMillis(200)))
        .build()
        .call(
            attempt -> {
              long now = System.nanoTime();
              if (attempt > 1) {
                gapsMillis.add((now - last[0]) / 1_000_000);
              }
              last[0] = now;
              if (attempt == 1) {
                throw new IOException("429");
              }
              return null;
            });

    assertThat(gapsMillis).hasSize(1);
    assertThat(gapsMillis.get(0)).isBetween(200L, backoff.toMillis() - 1);
  }

  @Test
  void anInterruptedWaitRestoresTheFlag() {
    Retrier slow =
        Retrier.builder().backoff(Duration.ofSeconds(20), 2.0, 0.0, Duration.ofSeconds(20)).build();
    Thread.currentThread().interrupt();

    assertThatThrownBy(
            () ->
                slow.call(
                    attempt -> {
                      throw new IOException("down");
                    }))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void theRecordPolicyGivesItsAttemptsAndBackoff() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(7)
            .initialBackoff(Duration.ofMillis(100))
            .multiplier(2)
            .jitter(0.0)
            .maxBackoff(Duration.ofMillis(300))
            .build();

    Retrier retrier = Retrier.of(policy).build();

    assertThat(List.of(retrier.interval(1), retrier.interval(2), retrier.interval(3)))
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> Retrier.builder().maxAttempts(0))
        .hasMessage("maxAttempts must be > 0, but was 0");
    assertThatThrownBy(() -> Retrier.builder().backoff(MS, 0.5, 0.0, MS))
        .hasMessage("multiplier must be >= 1, but was 0.5");
    assertThatThrownBy(() -> Retrier.builder().backoff(MS, 2.0, 1.0, MS))
        .hasMessage("jitter must be in [0, 1), but was 1.0");
  }
}
