package dev.collect.core;

import dev.collect.core.spi.Checks;
import java.time.Duration;

/**
 * How transient failures are retried: exponential backoff with jitter (resilience4j's randomized
 * exponential interval), starting at {@code initialBackoff}, multiplied by {@code multiplier} up to
 * {@code maxBackoff}, each wait varied by {@code ±jitter}.
 *
 * <p>A record stage (collect, validate, transform) tries a record at most {@code maxAttempts}
 * times, then dead-letters it as retryable. A sink keeps retrying a batch while its failures stay
 * transient, for at most {@code outageBudget} since the first failure; after that the pipeline
 * stops without committing what that batch holds, because the sink, not the records, is broken.
 *
 * @param maxAttempts attempts per record in record stages, the first included; default 3
 * @param initialBackoff the first wait; default 100 ms
 * @param multiplier growth per attempt; default 2
 * @param maxBackoff the longest wait; default 10 s
 * @param jitter randomisation factor in [0, 1); default 0.5
 * @param outageBudget how long a sink may keep failing transiently; default 60 s
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    Duration maxBackoff,
    double jitter,
    Duration outageBudget) {

  public RetryPolicy {
    Checks.positive("maxAttempts", maxAttempts);
    Checks.positive("initialBackoff", initialBackoff);
    Checks.atLeast("multiplier", multiplier, 1.0);
    Checks.positive("maxBackoff", maxBackoff);
    Checks.inRangeExclusive("jitter", jitter, 0.0, 1.0);
    Checks.notNegative("outageBudget", outageBudget);
  }

  /** 3 attempts, 100 ms doubling to 10 s, jitter 0.5, outage budget 60 s. */
  public static RetryPolicy defaults() {
    return builder().build();
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RetryPolicy}; every setter states its default. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(100);
    private double multiplier = 2.0;
    private Duration maxBackoff = Duration.ofSeconds(10);
    private double jitter = 0.5;
    private Duration outageBudget = Duration.ofSeconds(60);

    private Builder() {}

    /** Attempts per record in record stages, the first included; default 3. */
    public Builder maxAttempts(int value) {
      this.maxAttempts = value;
      return this;
    }

    /** The first wait; default 100 ms. */
    public Builder initialBackoff(Duration value) {
      this.initialBackoff = value;
      return this;
    }

    /** Growth per attempt; default 2. */
    public Builder multiplier(double value) {
      this.multiplier = value;
      return this;
    }

    /** The longest wait; default 10 s. */
    public Builder maxBackoff(Duration value) {
      this.maxBackoff = value;
      return this;
    }

    /** Randomisation factor in [0, 1); default 0.5. */
    public Builder jitter(double value) {
      this.jitter = value;
      return this;
    }

    /** How long a sink may keep failing transiently before the pipeline stops; default 60 s. */
    public Builder outageBudget(Duration value) {
      this.outageBudget = value;
      return this;
    }

    /** The policy; throws {@link IllegalArgumentException} naming a bad value. */
    public RetryPolicy build() {
      return new RetryPolicy(
          maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, outageBudget);
    }
  }
}
