package dev.collect.stream;

import dev.collect.core.Collector;
import dev.collect.core.spi.Checks;
import dev.collect.stream.internal.TimeSeriesCollector;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Gap detection and anomaly flags per series, as a {@link Collector} from records to {@link
 * SeriesPoint}s.
 *
 * <p>Gaps: with an expected interval, when a record's time is more than {@code interval * (1 +
 * tolerance)} after the previous record of its series, one gap point ({@code is_gap = true}) is
 * emitted for each expected time that passed without a record, before the record itself (at most
 * {@link #maxGapPoints(int)} per hole). Records older than the newest of their series pass through
 * without creating gaps.
 *
 * <p>Anomalies: each measurement is judged against the previous {@code window} measurements of its
 * series (at least {@code window / 2}, else it is not judged) and flagged when its score exceeds
 * the threshold.
 *
 * <p>State (last time and recent values per series) is in memory and bounded by {@link
 * #maxSeries(int)} series, least recently seen first out. Give records the series key as their
 * envelope key so that one series is processed in order with several workers. Thread-safe.
 *
 * @param <T> the record type
 */
public final class TimeSeries<T> {
  private final Function<? super T, String> seriesOf;
  private final Function<? super T, Instant> timeOf;
  private final ToDoubleFunction<? super T> measurementOf;
  private Duration expectedInterval;
  private double gapTolerance = 0.5;
  private int maxGapPoints = 1000;
  private AnomalyMethod method;
  private int window = 60;
  private double threshold;
  private int maxSeries = 100_000;

  private TimeSeries(
      Function<? super T, String> seriesOf,
      Function<? super T, Instant> timeOf,
      ToDoubleFunction<? super T> measurementOf) {
    this.seriesOf = seriesOf;
    this.timeOf = timeOf;
    this.measurementOf = measurementOf;
  }

  /** Series of records: the series key, the time and the measurement of each. */
  public static <T> TimeSeries<T> of(
      Function<? super T, String> seriesOf,
      Function<? super T, Instant> timeOf,
      ToDoubleFunction<? super T> measurementOf) {
    return new TimeSeries<>(
        Objects.requireNonNull(seriesOf, "seriesOf"),
        Objects.requireNonNull(timeOf, "timeOf"),
        Objects.requireNonNull(measurementOf, "measurementOf"));
  }

  /** Turns on gap detection; default off. */
  public TimeSeries<T> expectedInterval(Duration value) {
    Checks.positive("expectedInterval", value);
    this.expectedInterval = value;
    return this;
  }

  /** How much later than the interval a record may come before it is a gap; default 0.5. */
  public TimeSeries<T> gapTolerance(double value) {
    Checks.atLeast("gapTolerance", value, 0.0);
    this.gapTolerance = value;
    return this;
  }

  /** Gap points emitted for one hole at most; default 1,000. */
  public TimeSeries<T> maxGapPoints(int value) {
    Checks.positive("maxGapPoints", value);
    this.maxGapPoints = value;
    return this;
  }

  /** Turns on anomaly flags over the last {@code window} points; default off. */
  public TimeSeries<T> anomalies(AnomalyMethod method, int window, double threshold) {
    Checks.positive("window", window);
    Checks.atLeast("window", window, 4);
    Checks.positive("threshold", threshold);
    this.method = Objects.requireNonNull(method, "method");
    this.window = window;
    this.threshold = threshold;
    return this;
  }

  /** Series kept in memory; default 100,000. */
  public TimeSeries<T> maxSeries(int value) {
    Checks.positive("maxSeries", value);
    this.maxSeries = value;
    return this;
  }

  /** The collector. */
  public Collector<T, SeriesPoint<T>> build() {
    return new TimeSeriesCollector<>(
        seriesOf,
        timeOf,
        measurementOf,
        expectedInterval,
        gapTolerance,
        maxGapPoints,
        method,
        window,
        threshold,
        maxSeries);
  }
}
