package dev.collect.batch.internal;

import dev.collect.core.spi.Checks;
import java.time.Duration;

/**
 * Argument checks.
 *
 * @deprecated use {@link Checks}; this forwards to it until its last caller moves.
 */
@Deprecated
public final class Args {
  private Args() {}

  public static int positive(String name, int value) {
    return Checks.positive(name, value);
  }

  public static Duration positive(String name, Duration value) {
    return Checks.positive(name, value);
  }
}
