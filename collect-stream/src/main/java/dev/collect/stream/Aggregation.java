package dev.collect.stream;

import java.util.function.ToDoubleFunction;

/**
 * An incremental aggregation: an accumulator is created per window and key, each record is added to
 * it, session windows merge two of them, and the result is read when the window fires. Must be
 * thread-safe as an object (accumulators are never shared between threads at once).
 *
 * @param <T> the record type
 * @param <A> the accumulator type
 * @param <R> the result type
 */
public interface Aggregation<T, A, R> {

  A create();

  /** Adds {@code value}; may return a new accumulator or the same one changed. */
  A add(A accumulator, T value);

  /** Merges two accumulators (session windows). */
  A merge(A a, A b);

  R result(A accumulator);

  /** The number of records. */
  static <T> Aggregation<T, long[], Long> count() {
    return new Aggregation<>() {
      public long[] create() {
        return new long[1];
      }

      public long[] add(long[] acc, T value) {
        acc[0]++;
        return acc;
      }

      public long[] merge(long[] a, long[] b) {
        a[0] += b[0];
        return a;
      }

      public Long result(long[] acc) {
        return acc[0];
      }
    };
  }

  /** Count, sum, min, max and mean of a numeric field. */
  static <T> Aggregation<T, Stats, Stats> stats(ToDoubleFunction<? super T> field) {
    return new Aggregation<>() {
      public Stats create() {
        return Stats.EMPTY;
      }

      public Stats add(Stats acc, T value) {
        return acc.plus(field.applyAsDouble(value));
      }

      public Stats merge(Stats a, Stats b) {
        return a.merge(b);
      }

      public Stats result(Stats acc) {
        return acc;
      }
    };
  }

  /**
   * Summary statistics. Immutable.
   *
   * @param count values seen
   * @param sum their sum
   * @param min the smallest, or NaN when none
   * @param max the largest, or NaN when none
   */
  record Stats(long count, double sum, double min, double max) {
    static final Stats EMPTY = new Stats(0, 0, Double.NaN, Double.NaN);

    /** The mean, or NaN when empty. */
    public double mean() {
      return count == 0 ? Double.NaN : sum / count;
    }

    Stats plus(double v) {
      return new Stats(
          count + 1, sum + v, count == 0 ? v : Math.min(min, v), count == 0 ? v : Math.max(max, v));
    }

    Stats merge(Stats o) {
      if (o.count == 0) {
        return this;
      }
      if (count == 0) {
        return o;
      }
      return new Stats(count + o.count, sum + o.sum, Math.min(min, o.min), Math.max(max, o.max));
    }
  }
}
