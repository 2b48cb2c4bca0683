package dev.collect.core;

import dev.collect.core.internal.validation.BeanValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Checks a record and returns what is wrong with it; an empty list means valid. A record with
 * violations goes to the dead-letter sink with them; counts feed the data-quality score.
 *
 * <p>Validators are called from several worker threads at once and must be thread-safe.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface Validator<T> {

  /** The violations of {@code value}; empty when it is valid. Never null. */
  List<Violation> validate(T value);

  /**
   * Jakarta Bean Validation (Hibernate Validator) of the annotations on {@code type}, with one
   * factory shared by the process and literal messages (no EL needed at run time).
   */
  static <T> Validator<T> bean(Class<T> type) {
    return BeanValidator.of(type);
  }

  /** A rule as a lambda: the record is valid when {@code ok} holds, else one violation. */
  static <T> Validator<T> rule(String path, String message, Predicate<? super T> ok) {
    List<Violation> broken = List.of(new Violation(path, message, null, "rule"));
    return value -> ok.test(value) ? List.of() : broken;
  }

  /** This validator's violations followed by {@code other}'s. */
  default Validator<T> and(Validator<? super T> other) {
    Validator<T> self = this;
    return value -> {
      List<Violation> first = self.validate(value);
      List<Violation> second = other.validate(value);
      if (second.isEmpty()) {
        return first;
      }
      if (first.isEmpty()) {
        return second;
      }
      List<Violation> all = new ArrayList<>(first.size() + second.size());
      all.addAll(first);
      all.addAll(second);
      return all;
    };
  }

  /** All of {@code validators}, their violations in order. */
  @SafeVarargs
  static <T> Validator<T> all(Validator<? super T>... validators) {
    Validator<T> combined = value -> List.of();
    for (Validator<? super T> v : validators) {
      combined = combined.and(v);
    }
    return combined;
  }
}
