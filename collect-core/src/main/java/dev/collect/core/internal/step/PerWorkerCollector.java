package dev.collect.core.internal.step;

import dev.collect.core.Collector;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A collector that gives each thread calling {@code collect} its own instance from a factory,
 * opened with the pipeline's context on first use. {@code endOfInput} reaches every instance made
 * in the run, from the one thread the runtime calls it on, after the workers are done with them.
 * Each run ({@code open}) starts with fresh instances.
 */
public final class PerWorkerCollector<R, T> implements Collector<R, T> {
  private final Supplier<? extends Collector<R, T>> factory;
  private volatile Run<R, T> run;

  public PerWorkerCollector(Supplier<? extends Collector<R, T>> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.run = new Run<>(null);
  }

  @Override
  public void open(PipelineContext context) {
    this.run = new Run<>(context);
  }

  @Override
  public void collect(Envelope<R> input, Output<T> output) throws Exception {
    run.instance(factory).collect(input, output);
  }

  @Override
  public void endOfInput(Output<T> output) throws Exception {
    for (Collector<R, T> instance : run.made) {
      instance.endOfInput(output);
    }
  }

  /** The instances of one run, one per thread. */
  private static final class Run<R, T> {
    private final PipelineContext context;
    private final ThreadLocal<Collector<R, T>> mine = new ThreadLocal<>();
    private final List<Collector<R, T>> made = new CopyOnWriteArrayList<>();

    Run(PipelineContext context) {
      this.context = context;
    }

    Collector<R, T> instance(Supplier<? extends Collector<R, T>> factory) {
      Collector<R, T> instance = mine.get();
      if (instance == null) {
        instance = Objects.requireNonNull(factory.get(), "the per-worker factory returned null");
        if (context != null) {
          instance.open(context);
        }
        mine.set(instance);
        made.add(instance);
      }
      return instance;
    }
  }
}
