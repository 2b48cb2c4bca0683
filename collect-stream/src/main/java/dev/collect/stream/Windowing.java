package dev.collect.stream;

import dev.collect.core.Collector;
import dev.collect.core.spi.Checks;
import dev.collect.stream.internal.WindowOperator;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Describes a windowed aggregation and builds it as a {@link Collector} for a pipeline step:
 *
 * <pre>{@code
 * Collector<Reading, WindowResult<String, Aggregation.Stats>> perMinute =
 *     Windowing.eventTime(WatermarkStrategy.<Reading>boundedOutOfOrderness(Duration.ofSeconds(5)))
 *         .keyBy(Reading::sensor)
 *         .window(WindowAssigner.tumbling(Duration.ofMinutes(1)))
 *         .allowedLateness(Duration.ofSeconds(30))
 *         .aggregate(Aggregation.stats(Reading::value));
 * }</pre>
 *
 * <p>Semantics (event time): a window fires when the watermark passes its end, emitting one {@link
 * WindowResult}; its state is kept for the allowed lateness after that, and a record arriving
 * meanwhile updates it and emits a corrected result ({@code update=true}). A record too late for
 * every window it belongs to goes to the {@link LateRecords} policy. Windows close as records
 * arrive (any key or channel advances the watermark), so the last windows of an unbounded source
 * that goes quiet stay open until the next record. When a bounded source ends ({@link
 * dev.collect.core.Collector#endOfInput}), the watermark moves to the end of time and every window
 * still open fires once.
 *
 * <p>Delivery: window state lives in memory. Records absorbed into a window count as filtered, and
 * their source positions are committed before the window fires; after a crash, windows open at the
 * time lose the records committed before it. Use it where approximate aggregates after a crash are
 * acceptable, or recompute from a replayable source.
 *
 * <p>The builder is not thread-safe; the collector it builds is (one lock per record), and with
 * several workers the watermark is shared by all of them.
 *
 * @param <T> the record type
 * @param <K> the key type
 */
public final class Windowing<T, K> {
  /** Default bound of open windows (key and window pairs) kept in memory. */
  public static final int DEFAULT_MAX_OPEN_WINDOWS = 100_000;

  private final TimeDomain domain;
  private final WatermarkStrategy<T> watermarks;
  private final Clock clock;
  private Function<? super T, ?> keyOf = value -> "";
  private WindowAssigner assigner;
  private Duration allowedLateness = Duration.ZERO;
  private LateRecords<T> late = LateRecords.toDeadLetters();
  private int maxOpenWindows = DEFAULT_MAX_OPEN_WINDOWS;

  private Windowing(TimeDomain domain, WatermarkStrategy<T> watermarks, Clock clock) {
    this.domain = domain;
    this.watermarks = watermarks;
    this.clock = clock;
  }

  /** Windows over event time, ordered by {@code watermarks}. */
  public static <T> Windowing<T, String> eventTime(WatermarkStrategy<T> watermarks) {
    return new Windowing<>(
        TimeDomain.EVENT_TIME, Objects.requireNonNull(watermarks, "watermarks"), null);
  }

  /** Windows over the pipeline's clock when records are processed. */
  public static <T> Windowing<T, String> processingTime(Clock clock) {
    return new Windowing<>(TimeDomain.PROCESSING_TIME, null, Objects.requireNonNull(clock));
  }

  /** Groups by key (default: one group, key {@code ""}). */
  @SuppressWarnings("unchecked")
  public <K2> Windowing<T, K2> keyBy(Function<? super T, ? extends K2> key) {
    this.keyOf = Objects.requireNonNull(key, "key");
    return (Windowing<T, K2>) this;
  }

  /** Required: tumbling, sliding or session windows. */
  public Windowing<T, K> window(WindowAssigner value) {
    this.assigner = Objects.requireNonNull(value, "window");
    return this;
  }

  /** How long after the watermark passed a window late records still update it; default 0. */
  public Windowing<T, K> allowedLateness(Duration value) {
    Checks.notNegative("allowedLateness", value);
    this.allowedLateness = value;
    return this;
  }

  /** Default {@link LateRecords#toDeadLetters()}. */
  public Windowing<T, K> lateRecords(LateRecords<T> value) {
    this.late = Objects.requireNonNull(value, "lateRecords");
    return this;
  }

  /**
   * Default {@value #DEFAULT_MAX_OPEN_WINDOWS}. Past it the window that would close first fires
   * early (a WARN is logged the first time; {@link StreamMetricNames#WINDOWS_CLOSED_EARLY} counts
   * them), which keeps memory bounded when keys or event times run wild.
   */
  public Windowing<T, K> maxOpenWindows(int value) {
    Checks.positive("maxOpenWindows", value);
    this.maxOpenWindows = value;
    return this;
  }

  /** The collector: one {@link WindowResult} per key and window as windows fire. */
  @SuppressWarnings("unchecked")
  public <A, R> Collector<T, WindowResult<K, R>> aggregate(Aggregation<? super T, A, R> function) {
    if (assigner == null) {
      throw new IllegalStateException("set a window: tumbling, sliding or session");
    }
    return new WindowOperator<>(
        domain,
        watermarks,
        clock,
        (Function<? super T, K>) keyOf,
        assigner,
        allowedLateness,
        late,
        maxOpenWindows,
        Objects.requireNonNull(function, "function"));
  }
}
