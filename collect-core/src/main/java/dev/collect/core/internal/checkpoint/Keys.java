package dev.collect.core.internal.checkpoint;

import dev.collect.core.spi.Checks;

/** Checks checkpoint keys the same way for every store. */
public final class Keys {
  public static final int MAX_LENGTH = 200;

  private Keys() {}

  /** {@code key}, if it is 1 to 200 characters; else an {@link IllegalArgumentException}. */
  public static String check(String key) {
    return Checks.length("checkpoint key", key, 1, MAX_LENGTH);
  }
}
