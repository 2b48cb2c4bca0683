package dev.collect.core.spi;

import dev.collect.core.RetryPolicy;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Runs a call again after a retryable failure, with resilience4j's {@link Retry}: exponential
 * backoff with jitter, at most a number of attempts and, optionally, within a time budget counted
 * from the first failure (the pipeline's outage budget). A failure that is not retryable, or the
 * last one, is thrown as it was; an interrupt while waiting ends the retries with an {@link
 * InterruptedException} (the failure suppressed in it), the thread's flag left set. The first
 * attempt runs without any retry state, so a call that succeeds costs nothing extra; callers on a
 * hot path run it themselves and hand a failure to {@link #retryAfter}.
 *
 * <p>The one retry executor of Collect: record stages, sinks, dead-letter sinks and connectors
 * retrying requests (the HTTP source) use it, so that every retry waits and stops the same way.
 * Immutable and thread-safe; {@link #call} may run concurrently on any number of threads.
 */
public final class Retrier {
  private final int maxAttempts;
  private final IntervalFunction intervals;
  private final Predicate<Throwable> retryable;
  private final @Nullable Duration budget;
  private final Function<Throwable, Optional<Duration>> waitHint;
  private final Runnable onRetry;

  private Retrier(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.intervals =
        IntervalFunction.ofExponentialRandomBackoff(
            b.initialBackoff, b.multiplier, b.jitter, b.maxBackoff);
    this.retryable = b.retryable;
    this.budget = b.budget;
    this.waitHint = b.waitHint;
    this.onRetry = b.onRetry;
  }

  /** Retries as {@code policy} says for record stages: its attempts and backoff, no budget. */
  public static Builder of(RetryPolicy policy) {
    return new Builder()
        .maxAttempts(policy.maxAttempts())
        .backoff(
            policy.initialBackoff(), policy.multiplier(), policy.jitter(), policy.maxBackoff());
  }

  /**
   * Retries as {@code policy} says for sinks: any number of attempts, with its backoff, for at most
   * its outage budget since the first failure.
   */
  public static Builder withOutageBudget(RetryPolicy policy) {
    return of(policy).maxAttempts(Integer.MAX_VALUE).budget(policy.outageBudget());
  }

  /** Starts from 3 attempts, 100 ms doubling to 10 s with jitter 0.5, retrying every exception. */
  public static Builder builder() {
    return new Builder();
  }

  /** One attempt of a call; {@code attempt} counts from 1. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run(int attempt) throws Exception;
  }

  /** The wait after failed attempt {@code attempt} (1-based), without a retry-after hint. */
  public Duration interval(int attempt) {
    return Duration.ofMillis(intervals.apply(attempt));
  }

  /**
   * Runs {@code call} until it succeeds, and returns its result; throws the failure that was not
   * retryable, came after the last attempt, or after the budget was spent.
   */
  public <T> T call(Attempt<T> call) throws Exception {
    try {
      return call.run(1);
    } catch (Exception first) {
      return retryAfter(first, call);
    }
  }

  /**
   * Goes on with a call whose first attempt the caller ran itself and that failed with {@code
   * first} (so that a hot path that succeeds allocates nothing): retries from attempt 2 as {@link
   * #call} would, or throws {@code first} when it is not retryable.
   */
  public <T> T retryAfter(Exception first, Attempt<T> call) throws Exception {
    if (!retryable.test(first) || maxAttempts == 1) {
      throw first;
    }
    Retry.Context<T> context = this.<T>retry().context();
    Exception failure = first;
    for (int attempt = 2; ; attempt++) {
      try {
        context.onError(failure); // throws the failure when it stops here; else waits
      } catch (Exception last) {
        if (Thread.currentThread().isInterrupted()) {
          // resilience4j ends an interrupted wait by throwing the failure with the flag set
          InterruptedException interrupted =
              new InterruptedException("interrupted while waiting to retry");
          interrupted.addSuppressed(last);
          throw interrupted;
        }
        throw last;
      }
      onRetry.run();
      try {
        T result = call.run(attempt);
        context.onComplete();
        return result;
      } catch (Exception e) {
        failure = e;
      }
    }
  }

  /**
   * The retry of one failing call, built after its first failure: the budget's deadline and the
   * waits, capped by what is left of it, belong to this call alone.
   */
  private <T> Retry retry() {
    long deadline = budget == null ? Long.MAX_VALUE : System.nanoTime() + budget.toNanos();
    IntervalBiFunction<T> wait =
        (attempt, outcome) -> {
          long millis =
              (outcome.isLeft() ? waitHint.apply(outcome.getLeft()) : Optional.<Duration>empty())
                  .map(Duration::toMillis)
                  .orElseGet(() -> intervals.apply(attempt));
          long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : millisLeft(deadline) + 1;
          return Math.max(0, Math.min(millis, left));
        };
    RetryConfig config =
        RetryConfig.<T>custom()
            .maxAttempts(maxAttempts)
            .intervalBiFunction(wait)
            .retryOnException(e -> retryable.test(e) && millisLeft(deadline) > 0)
            .writableStackTraceEnabled(false)
            .build();
    return Retry.of("collect", config);
  }

  private static long millisLeft(long deadline) {
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : (deadline - System.nanoTime()) / 1_000_000;
  }

  /** Builds a {@link Retrier}; every setter states its default. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(100);
    private double multiplier = 2.0;
    private double jitter = 0.5;
    private Duration maxBackoff = Duration.ofSeconds(10);
    private @Nullable Duration budget;
    private Predicate<Throwable> retryable = e -> true;
    private Function<Throwable, Optional<Duration>> waitHint = e -> Optional.empty();
    private Runnable onRetry = () -> {};

    private Builder() {}

    /** Attempts, the first included; default 3. */
    public Builder maxAttempts(int value) {
      this.maxAttempts = Checks.positive("maxAttempts", value);
      return this;
    }

    /**
     * Exponential backoff: {@code initial}, multiplied by {@code multiplier} per attempt up to
     * {@code max}, each wait varied by {@code ±jitter}; default 100 ms, 2, 0.5, 10 s.
     */
    public Builder backoff(Duration initial, double multiplier, double jitter, Duration max) {
      this.initialBackoff = Checks.positive("initialBackoff", initial);
      this.multiplier = Checks.atLeast("multiplier", multiplier, 1.0);
      this.jitter = Checks.inRangeExclusive("jitter", jitter, 0.0, 1.0);
      this.maxBackoff = Checks.positive("maxBackoff", max);
      return this;
    }

    /** Stops retrying once this long has passed since the first failure; default none. */
    public Builder budget(Duration value) {
      this.budget = Checks.notNegative("budget", value);
      return this;
    }

    /** Which failures are retried; default every exception. */
    public Builder retryOn(Predicate<Throwable> value) {
      this.retryable = java.util.Objects.requireNonNull(value, "retryOn");
      return this;
    }

    /**
     * The wait a failure asks for (an HTTP {@code Retry-After}), used instead of the backoff when
     * present; default none.
     */
    public Builder waitHint(Function<Throwable, Optional<Duration>> value) {
      this.waitHint = java.util.Objects.requireNonNull(value, "waitHint");
      return this;
    }

    /** Called before each retry (to count it); default nothing. */
    public Builder onRetry(Runnable value) {
      this.onRetry = java.util.Objects.requireNonNull(value, "onRetry");
      return this;
    }

    public Retrier build() {
      return new Retrier(this);
    }
  }
}
