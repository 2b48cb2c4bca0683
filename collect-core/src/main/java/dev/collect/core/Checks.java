package dev.collect.core;

import java.time.Duration;

/** Argument checks with messages that name the setting and the bad value. */
final class Checks {
  private Checks() {}

  static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }

  static void notNegative(String name, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
    }
  }

  static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
  }
}
