package dev.collect.core.internal.checkpoint;

/** Checks checkpoint keys the same way for every store. */
public final class Keys {
  public static final int MAX_LENGTH = 200;

  private Keys() {}

  /** {@code key}, if it is 1 to 200 characters; else an {@link IllegalArgumentException}. */
  public static String check(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "checkpoint key must be 1 to "
              + MAX_LENGTH
              + " characters, but was "
              + (key == null ? "null" : key.length() + " characters"));
    }
    return key;
  }
}
