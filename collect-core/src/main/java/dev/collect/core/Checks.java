package dev.collect.core;

import java.time.Duration;

/**
 * Argument checks for configuration builders.
 *
 * @deprecated moved to {@link dev.collect.core.spi.Checks}, which returns the accepted value; this
 *     class forwards to it and goes once no module uses it.
 */
@Deprecated
public final class Checks {
  private Checks() {}

  /** See {@link dev.collect.core.spi.Checks#notBlank}. */
  public static void notBlank(String name, String value) {
    dev.collect.core.spi.Checks.notBlank(name, value);
  }

  /** See {@link dev.collect.core.spi.Checks#positive(String, long)}. */
  public static void positive(String name, long value) {
    dev.collect.core.spi.Checks.positive(name, value);
  }

  /** See {@link dev.collect.core.spi.Checks#notNegative(String, Duration)}. */
  public static void notNegative(String name, Duration value) {
    dev.collect.core.spi.Checks.notNegative(name, value);
  }

  /** See {@link dev.collect.core.spi.Checks#positive(String, Duration)}. */
  public static void positive(String name, Duration value) {
    dev.collect.core.spi.Checks.positive(name, value);
  }
}
