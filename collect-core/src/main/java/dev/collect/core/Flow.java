package dev.collect.core;

import dev.collect.core.Collector.ThrowingFunction;
import dev.collect.core.internal.runtime.Step;
import dev.collect.core.internal.step.PerWorkerCollector;
import dev.collect.core.internal.step.PerWorkerFunction;
import dev.collect.core.spi.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The typed middle of a pipeline description: each call appends a step and returns a new flow, so a
 * flow can be shared as a prefix. Finish with {@link #to(Sink, Sink[])}.
 *
 * <p>Steps run on worker threads in the order they were added, except that a flow with a {@link
 * #keyBy} or {@link #routeByKey} step runs the steps up to its last such step on the reader thread;
 * every function passed here must be thread-safe, or be given as a per-worker factory ({@link
 * #collectPerWorker}, {@link #mapPerWorker}). Immutable.
 *
 * <p>Step names: each method has a variant that takes the step's name; without one, a step is named
 * after its kind and its 1-based position in the flow ({@code collect-1}, {@code validate-2},
 * {@code map-3}, {@code filter-4}, {@code keyBy-5}, {@code routeByKey-6}). The name is the {@code
 * component} of the step's dead letters and appears in the pipeline's error messages and logs.
 *
 * @param <T> the type of the records at this point
 */
public final class Flow<T> {

  private final Source<?> source;
  private final List<Step> steps;

  private Flow(Source<?> source, List<Step> steps) {
    this.source = source;
    this.steps = steps;
  }

  static <R> Flow<R> start(Source<R> source) {
    return new Flow<>(Objects.requireNonNull(source, "source"), List.of());
  }

  /** The name of an unnamed step: its kind and its 1-based position in the flow. */
  private String defaultName(String kind) {
    return kind + "-" + (steps.size() + 1);
  }

  private <U> Flow<U> append(Step step) {
    Checks.notBlank("step name", step.name());
    List<Step> next = new ArrayList<>(steps);
    next.add(step);
    return new Flow<>(source, Collections.unmodifiableList(next));
  }

  /** Turns each record into zero or more records (stage {@code collect}). */
  public <U> Flow<U> collect(Collector<? super T, U> collector) {
    return collect(defaultName("collect"), collector);
  }

  /** {@link #collect(Collector)} with a component name for metrics and dead letters. */
  public <U> Flow<U> collect(String name, Collector<? super T, U> collector) {
    return append(Step.collect(name, Objects.requireNonNull(collector, "collector")));
  }

  /**
   * {@link #collect(Collector)} with a collector per worker: each thread that runs this step gets
   * its own instance from {@code factory} (opened with the pipeline's context on first use), so a
   * collector with state that is not thread-safe (a parser, a {@code Mac}) needs no {@code
   * ThreadLocal}. An instance is called by one thread only; {@code endOfInput} is called on every
   * instance, from one thread, after the workers are done. The factory itself must be thread-safe.
   */
  public <U> Flow<U> collectPerWorker(Supplier<? extends Collector<? super T, U>> factory) {
    return collectPerWorker(defaultName("collect"), factory);
  }

  /** {@link #collectPerWorker(Supplier)} with a component name. */
  @SuppressWarnings("unchecked")
  public <U> Flow<U> collectPerWorker(
      String name, Supplier<? extends Collector<? super T, U>> factory) {
    Objects.requireNonNull(factory, "factory");
    return collect(name, new PerWorkerCollector<T, U>(() -> (Collector<T, U>) factory.get()));
  }

  /**
   * Dead-letters records with violations (stage {@code validate}); counts feed the quality score.
   */
  public Flow<T> validate(Validator<? super T> validator) {
    return validate(defaultName("validate"), validator);
  }

  /** {@link #validate(Validator)} with a component name. */
  public Flow<T> validate(String name, Validator<? super T> validator) {
    return append(Step.validate(name, Objects.requireNonNull(validator, "validator")));
  }

  /** Transforms each record into one record (stage {@code transform}): enrich, pseudonymise. */
  public <U> Flow<U> map(ThrowingFunction<? super T, ? extends U> transform) {
    return map(defaultName("map"), transform);
  }

  /** {@link #map(ThrowingFunction)} with a component name. */
  public <U> Flow<U> map(String name, ThrowingFunction<? super T, ? extends U> transform) {
    return append(Step.map(name, Objects.requireNonNull(transform, "transform")));
  }

  /**
   * {@link #map(ThrowingFunction)} with a function per worker: each thread that runs this step gets
   * its own instance from {@code factory} on first use, so a function that holds a {@code Mac}, a
   * parser or a buffer needs no {@code ThreadLocal}. An instance is called by one thread only; the
   * factory itself must be thread-safe.
   */
  public <U> Flow<U> mapPerWorker(
      Supplier<? extends ThrowingFunction<? super T, ? extends U>> factory) {
    return mapPerWorker(defaultName("map"), factory);
  }

  /** {@link #mapPerWorker(Supplier)} with a component name. */
  public <U> Flow<U> mapPerWorker(
      String name, Supplier<? extends ThrowingFunction<? super T, ? extends U>> factory) {
    return map(name, new PerWorkerFunction<T, U>(Objects.requireNonNull(factory, "factory")));
  }

  /** Keeps records that match; the others count as filtered, on purpose. */
  public Flow<T> filter(Predicate<? super T> keep) {
    return filter(defaultName("filter"), keep);
  }

  /** {@link #filter(Predicate)} with a component name. */
  public Flow<T> filter(String name, Predicate<? super T> keep) {
    return append(Step.filter(name, Objects.requireNonNull(keep, "keep")));
  }

  /**
   * Sets each record's key to {@code key.apply(value)} and, from this step on, sends records to
   * workers by that key: records with equal keys are processed and written in source order, also
   * with several workers. The steps up to here run on the pipeline's reader thread, one record at a
   * time in source order (keep them cheap: parse and pick the key); the steps after it run on the
   * workers. A null key means no order guarantee for that record. See {@link Envelope} for which
   * key decides the worker.
   */
  public Flow<T> keyBy(java.util.function.Function<? super T, ?> key) {
    return keyBy(defaultName("keyBy"), key);
  }

  /** {@link #keyBy(java.util.function.Function)} with a component name. */
  public Flow<T> keyBy(String name, java.util.function.Function<? super T, ?> key) {
    return append(Step.key(name, Objects.requireNonNull(key, "key")));
  }

  /**
   * From this step on, sends records to workers by the key they carry here: the source's, or one
   * that a collector before this step set ({@code output.emit(input.withValue(v).withKey(k))}).
   * Like {@link #keyBy(java.util.function.Function)}, the steps up to here run on the reader
   * thread.
   */
  public Flow<T> routeByKey() {
    return append(Step.key(defaultName("routeByKey"), null));
  }

  /**
   * Ends the flow in one or more sinks (fan-out): every record goes to each sink in order; a record
   * one sink rejects is dead-lettered and not offered to the sinks after it.
   */
  @SafeVarargs
  public final PipelineBuilder to(Sink<? super T> sink, Sink<? super T>... more) {
    List<Sink<?>> sinks = new ArrayList<>();
    sinks.add(Objects.requireNonNull(sink, "sink"));
    for (Sink<? super T> s : more) {
      sinks.add(Objects.requireNonNull(s, "sink"));
    }
    return new PipelineBuilder(source, steps, sinks);
  }
}
