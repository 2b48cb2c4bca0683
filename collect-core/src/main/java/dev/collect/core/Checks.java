package dev.collect.core;

import java.time.Duration;

/**
 * Argument checks for configuration builders, with messages that name the setting and the bad
 * value, so that every builder of every Collect module fails the same way. Blank values are shown,
 * others only when they are numbers or durations (never a string that could be a secret). Stateless
 * and thread-safe.
 */
public final class Checks {
  private Checks() {}

  /** Fails unless {@code value} has a non-whitespace character. */
  public static void notBlank(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, but was '" + value + "'");
    }
  }

  /** Fails unless {@code value > 0}. */
  public static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }

  /** Fails unless {@code value} is present and not negative. */
  public static void notNegative(String name, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
    }
  }

  /** Fails unless {@code value} is present and longer than zero. */
  public static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }
}
