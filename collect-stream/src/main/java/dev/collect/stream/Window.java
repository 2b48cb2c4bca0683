package dev.collect.stream;

import java.time.Instant;

/**
 * A half-open interval of time {@code [start, end)}. Immutable.
 *
 * @param start inclusive
 * @param end exclusive
 */
public record Window(Instant start, Instant end) {
  public Window {
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("window end " + end + " must be after start " + start);
    }
  }

  /** Whether {@code t} falls in the window. */
  public boolean contains(Instant t) {
    return !t.isBefore(start) && t.isBefore(end);
  }
}
