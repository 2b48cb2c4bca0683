package dev.collect.core.internal.runtime;

import dev.collect.core.Collector;
import dev.collect.core.Collector.ThrowingFunction;
import dev.collect.core.Stage;
import dev.collect.core.Validator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/** One step of a flow: what it is, its component name, and the user's function. Immutable. */
public final class Step {

  enum Kind {
    COLLECT,
    VALIDATE,
    MAP,
    FILTER,
    KEY
  }

  final String name;
  final Kind kind;
  final Object function;

  private Step(String name, Kind kind, Object function) {
    this.name = name;
    this.kind = kind;
    this.function = function;
  }

  public static Step collect(String name, Collector<?, ?> collector) {
    return new Step(name, Kind.COLLECT, collector);
  }

  public static Step validate(String name, Validator<?> validator) {
    return new Step(name, Kind.VALIDATE, validator);
  }

  public static Step map(String name, ThrowingFunction<?, ?> function) {
    return new Step(name, Kind.MAP, function);
  }

  public static Step filter(String name, Predicate<?> predicate) {
    return new Step(name, Kind.FILTER, predicate);
  }

  /** A routing step: sets the key with {@code key}, or keeps it when {@code key} is null. */
  public static Step key(String name, Function<?, ?> key) {
    return new Step(name, Kind.KEY, key);
  }

  /** The index of the last routing step in {@code steps}, or -1 when the source's key decides. */
  static int lastRoutingStep(List<Step> steps) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i).kind == Kind.KEY) {
        return i;
      }
    }
    return -1;
  }

  /** The step's component name. */
  public String name() {
    return name;
  }

  Stage stage() {
    return switch (kind) {
      case COLLECT -> Stage.COLLECT;
      case VALIDATE -> Stage.VALIDATE;
      case MAP, FILTER, KEY -> Stage.TRANSFORM;
    };
  }
}
