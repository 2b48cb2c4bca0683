package dev.collect.core.spi;

import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks for configuration builders and config records, with messages that name the
 * setting and the bad value ({@code "maxBatchRecords must be > 0, but was -3"}), so that every
 * builder of every Collect module fails the same way, at once, with an {@link
 * IllegalArgumentException}. Blank values are shown, others only when they are numbers or durations
 * (never a string that could be a secret: a string of the wrong length is shown by its length), or
 * identifiers checked by {@link #matches} (names of tables and the like, shown so that the user
 * sees the typo; never check a secret with it). Each check returns the value it accepted, for
 * {@code this.x = Checks.positive("x", value)}. Stateless and thread-safe.
 */
public final class Checks {
  private Checks() {}

  /** Fails unless {@code value} has a non-whitespace character. */
  public static String notBlank(String name, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, but was '" + value + "'");
    }
    return value;
  }

  /** Fails unless {@code value > 0}. */
  public static int positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
    return value;
  }

  /** Fails unless {@code value > 0}. */
  public static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
    return value;
  }

  /** Fails unless {@code value >= 0}. */
  public static long notNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
    }
    return value;
  }

  /** Fails unless {@code value} is present and not negative. */
  public static Duration notNegative(String name, @Nullable Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
    }
    return value;
  }

  /** Fails unless {@code value} is present and longer than zero. */
  public static Duration positive(String name, @Nullable Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
    return value;
  }

  /** Fails unless {@code value >= min}. */
  public static long atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", but was " + value);
    }
    return value;
  }

  /** Fails unless {@code value >= min} (and is a number). */
  public static double atLeast(String name, double value, double min) {
    if (!(value >= min)) {
      throw new IllegalArgumentException(name + " must be >= " + plain(min) + ", but was " + value);
    }
    return value;
  }

  /** Fails unless {@code min <= value <= max}. */
  public static int inRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], but was " + value);
    }
    return value;
  }

  /** Fails unless {@code min <= value < max} (and is a number). */
  public static double inRangeExclusive(String name, double value, double min, double max) {
    if (!(value >= min && value < max)) {
      throw new IllegalArgumentException(
          name + " must be in [" + plain(min) + ", " + plain(max) + "), but was " + value);
    }
    return value;
  }

  /** Fails unless {@code value} is present and not empty (blanks are accepted). */
  public static String notEmpty(String name, @Nullable String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty, but was " + value);
    }
    return value;
  }

  /**
   * Fails unless {@code value} is present and has {@code min} to {@code max} characters; the
   * message gives its length, not its text.
   */
  public static String length(String name, @Nullable String value, int min, int max) {
    if (value == null || value.length() < min || value.length() > max) {
      throw new IllegalArgumentException(
          name
              + " must be "
              + min
              + " to "
              + max
              + " characters, but was "
              + (value == null ? "null" : value.length() + " characters"));
    }
    return value;
  }

  /**
   * Fails unless the identifier {@code value} matches {@code pattern} entirely; {@code expected}
   * says in words what it must be ({@code "1-63 lowercase letters, digits or underscores"}).
   */
  public static String matches(
      String name, @Nullable String value, Pattern pattern, String expected) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          name
              + " must be "
              + expected
              + ", but was "
              + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  /**
   * Fails unless {@code value} has at least {@code min} bytes (a key); the message gives its
   * length.
   */
  public static byte[] atLeastBytes(String name, byte @Nullable [] value, int min) {
    if (value == null || value.length < min) {
      throw new IllegalArgumentException(
          name
              + " must have at least "
              + min
              + " bytes, but had "
              + (value == null ? 0 : value.length));
    }
    return value;
  }

  /** Fails unless {@code value > 0} (and is a number). */
  public static double positive(String name, double value) {
    if (!(value > 0)) {
      throw new IllegalArgumentException(name + " must be > 0, but was " + value);
    }
    return value;
  }

  /** Fails unless {@code min <= value <= max} (and is a number). */
  public static double inRange(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          name + " must be in [" + plain(min) + ", " + plain(max) + "], but was " + value);
    }
    return value;
  }

  private static String plain(double bound) {
    return java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
  }
}
