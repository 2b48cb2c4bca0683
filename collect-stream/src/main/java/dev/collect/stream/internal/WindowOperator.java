package dev.collect.stream.internal;

import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.MetricNames;
import dev.collect.core.PipelineContext;
import dev.collect.stream.Aggregation;
import dev.collect.stream.LateRecords;
import dev.collect.stream.StreamMetricNames;
import dev.collect.stream.TimeDomain;
import dev.collect.stream.WatermarkStrategy;
import dev.collect.stream.Window;
import dev.collect.stream.WindowAssigner;
import dev.collect.stream.WindowResult;
import io.micrometer.core.instrument.FunctionCounter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one pane (accumulator) per key and window, indexed by window end so that firing and purging
 * touch only the panes whose time has come. One lock for the whole operator: the watermark is
 * shared by every worker. At the end of a bounded input the watermark moves to the end of time:
 * every pane not yet fired fires once, and the state is dropped.
 */
public final class WindowOperator<T, K, A, R> implements Collector<T, WindowResult<K, R>> {
  private static final Logger LOG = LoggerFactory.getLogger(WindowOperator.class);

  private final class Pane {
    final K key;
    final Window window;
    A acc;
    long count;
    boolean fired;
    boolean dead;

    Pane(K key, Window window, A acc) {
      this.key = key;
      this.window = window;
      this.acc = acc;
    }

    long end() {
      return window.end().toEpochMilli();
    }
  }

  private final TimeDomain domain;
  private final WatermarkStrategy<T> strategy;
  private final Clock clock;
  private final Function<? super T, K> keyOf;
  private final WindowAssigner assigner;
  private final long latenessMillis;
  private final LateRecords<T> late;
  private final int maxOpen;
  private final Aggregation<? super T, A, R> function;
  private final Watermarks watermarks;
  private final Map<K, List<Pane>> byKey = new HashMap<>();
  private final TreeMap<Long, List<Pane>> byEnd = new TreeMap<>();
  private final LateOutput<T> lateOutput;
  private int open;
  // Windows closed before their end because of the bound: counted, and logged once, not per record.
  private final AtomicLong closedEarly = new AtomicLong();

  public WindowOperator(
      TimeDomain domain,
      WatermarkStrategy<T> strategy,
      Clock clock,
      Function<? super T, K> keyOf,
      WindowAssigner assigner,
      Duration allowedLateness,
      LateRecords<T> late,
      int maxOpen,
      Aggregation<? super T, A, R> function) {
    this.domain = domain;
    this.strategy = strategy;
    this.clock = clock;
    this.keyOf = keyOf;
    this.assigner = assigner;
    this.latenessMillis = domain == TimeDomain.EVENT_TIME ? allowedLateness.toMillis() : 0;
    this.late = late;
    this.maxOpen = maxOpen;
    this.function = function;
    this.watermarks =
        domain == TimeDomain.EVENT_TIME
            ? new Watermarks(strategy.maxOutOfOrderness(), strategy.idleTimeout(), strategy.clock())
            : null;
    this.lateOutput = new LateOutput<>(late);
  }

  @Override
  public void open(PipelineContext context) {
    lateOutput.open(context);
    FunctionCounter.builder(StreamMetricNames.WINDOWS_CLOSED_EARLY, closedEarly, AtomicLong::get)
        .description("Windows closed before their end because maxOpenWindows was reached")
        .tag(MetricNames.TAG_PIPELINE, context.pipeline())
        .register(context.meterRegistry());
  }

  @Override
  public void collect(Envelope<T> input, Output<WindowResult<K, R>> output) throws Exception {
    List<Envelope<WindowResult<K, R>>> emitted = new ArrayList<>();
    Instant lateAt = null;
    long watermark;
    synchronized (this) {
      long t;
      Object channel = null;
      if (domain == TimeDomain.EVENT_TIME) {
        Instant ts = strategy.timestampOf(input);
        if (ts == null) {
          throw new MalformedRecordException("the record has no event time");
        }
        t = ts.toEpochMilli();
        channel = strategy.channelOf(input);
      } else {
        t = clock.millis();
      }
      watermark = domain == TimeDomain.EVENT_TIME ? watermarks.current() : t;
      K key = keyOf.apply(input.value());
      boolean accepted =
          assigner.merging()
              ? addToSession(input, key, t, watermark, emitted)
              : addToWindows(input, key, t, watermark, emitted);
      if (!accepted) {
        lateAt = Instant.ofEpochMilli(t);
      }
      if (domain == TimeDomain.EVENT_TIME) {
        watermark = watermarks.observe(channel, t);
      }
      fire(watermark, input, emitted);
      enforceBound(input, emitted);
    }
    for (Envelope<WindowResult<K, R>> e : emitted) {
      output.emit(e);
    }
    if (lateAt != null) {
      lateOutput.handle(input, lateAt, Instant.ofEpochMilli(watermark));
    }
  }

  @Override
  public void endOfInput(Output<WindowResult<K, R>> output) {
    List<Envelope<WindowResult<K, R>>> emitted = new ArrayList<>();
    synchronized (this) {
      for (List<Pane> panes : byEnd.values()) {
        for (Pane p : panes) {
          if (!p.fired) {
            p.fired = true;
            emitted.add(finalResult(p));
          }
        }
      }
      byKey.clear();
      byEnd.clear();
      open = 0;
    }
    for (Envelope<WindowResult<K, R>> e : emitted) {
      output.emit(e);
    }
  }

  private boolean addToWindows(
      Envelope<T> input, K key, long t, long watermark, List<Envelope<WindowResult<K, R>>> out) {
    boolean accepted = false;
    for (Window w : assigner.assign(Instant.ofEpochMilli(t))) {
      long end = w.end().toEpochMilli();
      if (isPurged(end, watermark)) {
        continue;
      }
      accepted = true;
      Pane pane = find(key, w);
      if (pane == null) {
        pane = create(key, w, function.create());
      }
      add(pane, input.value());
      if (pane.fired) {
        out.add(result(pane, input, true));
      }
    }
    return accepted;
  }

  private boolean addToSession(
      Envelope<T> input, K key, long t, long watermark, List<Envelope<WindowResult<K, R>>> out) {
    Window w = assigner.assign(Instant.ofEpochMilli(t)).get(0);
    if (isPurged(w.end().toEpochMilli(), watermark)) {
      return false;
    }
    Instant start = w.start();
    Instant end = w.end();
    A acc = function.create();
    long count = 0;
    boolean fired = false;
    List<Pane> panes = byKey.getOrDefault(key, List.of());
    for (Pane p : new ArrayList<>(panes)) {
      if (!p.dead && p.window.start().isBefore(end) && start.isBefore(p.window.end())) {
        start = p.window.start().isBefore(start) ? p.window.start() : start;
        end = p.window.end().isAfter(end) ? p.window.end() : end;
        acc = function.merge(acc, p.acc);
        count += p.count;
        fired |= p.fired;
        remove(p);
      }
    }
    Pane merged = create(key, new Window(start, end), acc);
    merged.count = count;
    add(merged, input.value());
    // A session that already fired and grew stays fired: its corrected result is an update.
    merged.fired = fired && merged.end() <= watermark;
    if (merged.fired) {
      out.add(result(merged, input, true));
    }
    return true;
  }

  private boolean isPurged(long windowEnd, long watermark) {
    return watermark != Long.MIN_VALUE && windowEnd + latenessMillis <= watermark;
  }

  private void add(Pane pane, T value) {
    pane.acc = function.add(pane.acc, value);
    pane.count++;
  }

  private Pane find(K key, Window w) {
    for (Pane p : byKey.getOrDefault(key, List.of())) {
      if (!p.dead && p.window.equals(w)) {
        return p;
      }
    }
    return null;
  }

  private Pane create(K key, Window w, A acc) {
    Pane pane = new Pane(key, w, acc);
    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(pane);
    byEnd.computeIfAbsent(pane.end(), k -> new ArrayList<>()).add(pane);
    open++;
    return pane;
  }

  private void remove(Pane pane) {
    pane.dead = true;
    List<Pane> panes = byKey.get(pane.key);
    panes.remove(pane);
    if (panes.isEmpty()) {
      byKey.remove(pane.key);
    }
    List<Pane> ending = byEnd.get(pane.end());
    ending.remove(pane);
    if (ending.isEmpty()) {
      byEnd.remove(pane.end());
    }
    open--;
  }

  /** Fires panes whose end the watermark passed, then purges those past the lateness. */
  private void fire(long watermark, Envelope<T> input, List<Envelope<WindowResult<K, R>>> out) {
    if (watermark == Long.MIN_VALUE) {
      return;
    }
    for (List<Pane> panes : byEnd.headMap(watermark, true).values()) {
      for (Pane p : panes) {
        if (!p.fired) {
          p.fired = true;
          out.add(result(p, input, false));
        }
      }
    }
    Iterator<Map.Entry<Long, List<Pane>>> it =
        byEnd.headMap(watermark - latenessMillis, true).entrySet().iterator();
    List<Pane> purge = new ArrayList<>();
    while (it.hasNext()) {
      purge.addAll(it.next().getValue());
    }
    purge.forEach(this::remove);
  }

  private void enforceBound(Envelope<T> input, List<Envelope<WindowResult<K, R>>> out) {
    while (open > maxOpen) {
      Pane oldest = byEnd.firstEntry().getValue().get(0);
      if (!oldest.fired) {
        out.add(result(oldest, input, false));
      }
      if (closedEarly.getAndIncrement() == 0) {
        LOG.warn(
            "window operator: more than {} open windows, closing the oldest early; further early"
                + " closes are counted in {}, not logged",
            maxOpen,
            StreamMetricNames.WINDOWS_CLOSED_EARLY);
      }
      remove(oldest);
    }
  }

  private Envelope<WindowResult<K, R>> result(Pane p, Envelope<T> input, boolean update) {
    return input.withValue(value(p, update)).withKey(p.key).withEventTime(eventTime(p));
  }

  /** A result fired by the end of input, with no record behind it. */
  private Envelope<WindowResult<K, R>> finalResult(Pane p) {
    return Envelope.builder(value(p, false)).key(p.key).eventTime(eventTime(p)).build();
  }

  private WindowResult<K, R> value(Pane p, boolean update) {
    return new WindowResult<>(
        p.key, p.window.start(), p.window.end(), domain, p.count, function.result(p.acc), update);
  }

  private Instant eventTime(Pane p) {
    return p.window.end().minusMillis(1);
  }
}
