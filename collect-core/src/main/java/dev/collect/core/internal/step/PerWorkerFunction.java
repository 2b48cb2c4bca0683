package dev.collect.core.internal.step;

import dev.collect.core.Collector.ThrowingFunction;
import java.util.Objects;
import java.util.function.Supplier;

/** A function that gives each calling thread its own instance from a factory, made on first use. */
public final class PerWorkerFunction<A, B> implements ThrowingFunction<A, B> {
  private final Supplier<? extends ThrowingFunction<? super A, ? extends B>> factory;
  private final ThreadLocal<ThrowingFunction<? super A, ? extends B>> mine = new ThreadLocal<>();

  public PerWorkerFunction(Supplier<? extends ThrowingFunction<? super A, ? extends B>> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  @Override
  public B apply(A value) throws Exception {
    ThrowingFunction<? super A, ? extends B> function = mine.get();
    if (function == null) {
      function = Objects.requireNonNull(factory.get(), "the per-worker factory returned null");
      mine.set(function);
    }
    return function.apply(value);
  }
}
