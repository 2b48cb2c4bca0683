package dev.collect.stream.internal;

import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.stream.AnomalyMethod;
import dev.collect.stream.SeriesPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Per-series state (newest time, recent measurements) in a bounded LRU map under one lock. */
public final class TimeSeriesCollector<T> implements Collector<T, SeriesPoint<T>> {
  private static final class State {
    Instant last;
    final ArrayDeque<Double> recent = new ArrayDeque<>();
  }

  private final Function<? super T, String> seriesOf;
  private final Function<? super T, Instant> timeOf;
  private final ToDoubleFunction<? super T> measurementOf;
  private final Duration interval;
  private final double tolerance;
  private final int maxGapPoints;
  private final AnomalyMethod method;
  private final int window;
  private final double threshold;
  private final Map<String, State> states;

  public TimeSeriesCollector(
      Function<? super T, String> seriesOf,
      Function<? super T, Instant> timeOf,
      ToDoubleFunction<? super T> measurementOf,
      Duration interval,
      double tolerance,
      int maxGapPoints,
      AnomalyMethod method,
      int window,
      double threshold,
      int maxSeries) {
    this.seriesOf = seriesOf;
    this.timeOf = timeOf;
    this.measurementOf = measurementOf;
    this.interval = interval;
    this.tolerance = tolerance;
    this.maxGapPoints = maxGapPoints;
    this.method = method;
    this.window = window;
    this.threshold = threshold;
    this.states =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
            return size() > maxSeries;
          }
        };
  }

  @Override
  public void collect(Envelope<T> input, Output<SeriesPoint<T>> output) {
    T value = input.value();
    if (value == null) {
      throw new MalformedRecordException("a time-series record must not be null");
    }
    String series = seriesOf.apply(value);
    Instant time = timeOf.apply(value);
    double x = measurementOf.applyAsDouble(value);
    if (series == null || time == null || !Double.isFinite(x)) {
      throw new MalformedRecordException(
          "a time-series record needs a series, a time and a finite measurement");
    }
    synchronized (this) {
      State state = states.computeIfAbsent(series, k -> new State());
      if (interval != null && state.last != null && time.isAfter(state.last)) {
        emitGaps(input, output, series, state.last, time);
      }
      if (state.last == null || time.isAfter(state.last)) {
        state.last = time;
      }
      Double score = method == null ? null : score(state.recent, x);
      boolean anomaly = score != null && Math.abs(score) > threshold;
      if (method != null) {
        state.recent.addLast(x);
        if (state.recent.size() > window) {
          state.recent.removeFirst();
        }
      }
      output.emit(
          input.withValue(new SeriesPoint<>(series, time, value, x, false, anomaly, score)));
    }
  }

  private void emitGaps(
      Envelope<T> input, Output<SeriesPoint<T>> output, String series, Instant last, Instant now) {
    long step = interval.toMillis();
    long elapsed = now.toEpochMilli() - last.toEpochMilli();
    if (elapsed <= step * (1 + tolerance)) {
      return;
    }
    // Expected times strictly between the two records, not too close to the new one.
    long missing = Math.round((double) elapsed / step) - 1;
    for (long i = 1; i <= Math.min(missing, maxGapPoints); i++) {
      Instant expected = last.plusMillis(i * step);
      output.emit(
          input
              .withValue(new SeriesPoint<T>(series, expected, null, null, true, false, null))
              .withEventTime(expected));
    }
  }

  private Double score(ArrayDeque<Double> recent, double x) {
    int n = recent.size();
    if (n < Math.max(2, window / 2)) {
      return null;
    }
    double[] values = recent.stream().mapToDouble(Double::doubleValue).toArray();
    if (method == AnomalyMethod.Z_SCORE) {
      double mean = Arrays.stream(values).average().orElse(0);
      double var = 0;
      for (double v : values) {
        var += (v - mean) * (v - mean);
      }
      double std = Math.sqrt(var / (n - 1));
      return std == 0 ? null : (x - mean) / std;
    }
    double median = median(values);
    double[] deviations = new double[n];
    for (int i = 0; i < n; i++) {
      deviations[i] = Math.abs(values[i] - median);
    }
    double mad = median(deviations);
    return mad == 0 ? null : 0.6745 * (x - median) / mad;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }
}
