package dev.collect.stream;

import dev.collect.core.spi.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Says which windows a timestamp belongs to. Windows are aligned to the Unix epoch. Immutable and
 * thread-safe.
 */
public interface WindowAssigner {

  /** The windows containing {@code t}, oldest first. */
  List<Window> assign(Instant t);

  /** True for session windows, which merge when they overlap. */
  default boolean merging() {
    return false;
  }

  /** Fixed, non-overlapping windows of {@code size}. */
  static WindowAssigner tumbling(Duration size) {
    return sliding(size, size);
  }

  /** Windows of {@code size} starting every {@code slide}; a record is in {@code size/slide}. */
  static WindowAssigner sliding(Duration size, Duration slide) {
    Checks.positive("size", size);
    Checks.positive("slide", slide);
    if (size.toMillis() % slide.toMillis() != 0) {
      throw new IllegalArgumentException(
          "size must be a multiple of slide, but were " + size + " and " + slide);
    }
    long sizeMs = size.toMillis();
    long slideMs = slide.toMillis();
    return t -> {
      long ts = t.toEpochMilli();
      long lastStart = Math.floorDiv(ts, slideMs) * slideMs;
      List<Window> out = new ArrayList<>();
      for (long start = lastStart - sizeMs + slideMs; start <= lastStart; start += slideMs) {
        out.add(new Window(Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + sizeMs)));
      }
      return out;
    };
  }

  /**
   * Sessions: a record opens {@code [t, t + gap)}, and sessions of one key that overlap merge into
   * one, so a session ends after {@code gap} without records.
   */
  static WindowAssigner session(Duration gap) {
    Checks.positive("gap", gap);
    return new WindowAssigner() {
      @Override
      public List<Window> assign(Instant t) {
        return List.of(new Window(t, t.plus(gap)));
      }

      @Override
      public boolean merging() {
        return true;
      }
    };
  }
}
