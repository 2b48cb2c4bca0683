package dev.collect.core.privacy;

import dev.collect.core.CollectException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * Applies {@link Personal} rules to a record by calling its canonical constructor with the
 * protected component values. The plan is built once per type.
 */
final class RecordPrivacy<T> implements UnaryOperator<T> {
  private final RecordComponent[] components;
  private final Constructor<T> constructor;
  private final FieldRule[] rules;
  private final RecordPrivacy<?>[] nested;
  private final Pseudonymizer pseudonymizer;
  private final FieldCipher cipher;

  RecordPrivacy(Class<T> type, PrivacyKeys keys) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(
          type.getName()
              + " is not a record: annotation rules need a Java record; use Privacy.json for maps and JSON");
    }
    this.components = type.getRecordComponents();
    this.rules = new FieldRule[components.length];
    this.nested = new RecordPrivacy<?>[components.length];
    boolean needsHmac = false;
    boolean needsAes = false;
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      try {
        c.getAccessor().setAccessible(true);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cannot read " + type.getName() + "." + c.getName(), e);
      }
      Personal personal = c.getAnnotation(Personal.class);
      if (personal != null) {
        rules[i] = FieldRule.of(personal);
        check(type, c, rules[i]);
        needsHmac |= personal.value() == PrivacyAction.PSEUDONYMIZE;
        needsAes |= personal.value() == PrivacyAction.ENCRYPT;
      } else if (c.getType().isRecord()) {
        nested[i] = new RecordPrivacy<>(c.getType(), keys);
      }
    }
    this.pseudonymizer = needsHmac ? Pseudonymizer.of(keys) : null;
    if (needsAes) {
      keys.activeKeyId();
    }
    this.cipher = FieldCipher.of(keys);
    try {
      this.constructor = type.getDeclaredConstructor(types);
      this.constructor.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot use the canonical constructor of " + type.getName(), e);
    }
  }

  private static void check(Class<?> type, RecordComponent c, FieldRule rule) {
    Class<?> t = c.getType();
    boolean ok =
        switch (rule.action()) {
          case PSEUDONYMIZE, MASK, ENCRYPT -> t == String.class;
          case GENERALIZE ->
              t == String.class || t == Instant.class || t == Long.class || t == Integer.class;
          case DROP -> !t.isPrimitive();
        };
    if (!ok) {
      throw new IllegalArgumentException(
          rule.action()
              + " does not fit "
              + type.getSimpleName()
              + "."
              + c.getName()
              + " of type "
              + t.getSimpleName()
              + ": pseudonymise, mask and encrypt need a String; generalise a String, Instant,"
              + " Long or Integer; drop any non-primitive");
    }
  }

  @Override
  public T apply(T value) {
    if (value == null) {
      return null;
    }
    Object[] args = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        Object v = components[i].getAccessor().invoke(value);
        if (v != null && rules[i] != null) {
          v = protect(rules[i], v);
        } else if (v != null && nested[i] != null) {
          v = applyNested(nested[i], v);
        }
        args[i] = v;
      }
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new CollectException(
          "a constructor or accessor of " + value.getClass().getSimpleName() + " failed",
          e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new CollectException("cannot rebuild " + value.getClass().getSimpleName(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <N> Object applyNested(RecordPrivacy<N> privacy, Object value) {
    return privacy.apply((N) value);
  }

  private Object protect(FieldRule rule, Object v) {
    if (rule.action() == PrivacyAction.GENERALIZE) {
      if (v instanceof Instant instant) {
        return Generalizer.instant(instant, rule.truncateTo());
      }
      if (v instanceof Long l) {
        return Generalizer.number(l, rule.bucket());
      }
      if (v instanceof Integer n) {
        return (int) Generalizer.number(n, rule.bucket());
      }
    }
    if (rule.action() == PrivacyAction.DROP) {
      return null;
    }
    return rule.text((String) v, pseudonymizer, cipher);
  }
}
