package dev.collect.core.internal.validation;

import dev.collect.core.Validator;
import dev.collect.core.Violation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Bean Validation of a record class. One factory for the process, built lazily with the parameter
 * interpolator, so literal and {@code {value}}-style messages work without an EL implementation.
 * Violations are sorted by path, then message, so that reasons are stable.
 */
public final class BeanValidator<T> implements Validator<T> {
  private static final Comparator<Violation> ORDER =
      Comparator.comparing(Violation::path).thenComparing(Violation::message);

  private final jakarta.validation.Validator validator;

  private BeanValidator(jakarta.validation.Validator validator) {
    this.validator = validator;
  }

  public static <T> BeanValidator<T> of(Class<T> type) {
    BeanValidator<T> v = new BeanValidator<>(Factory.INSTANCE.getValidator());
    // Fail at build time, not on the first record, when the annotations are wrong.
    v.validator.getConstraintsForClass(type);
    return v;
  }

  @Override
  public List<Violation> validate(T value) {
    if (value == null) {
      return List.of(new Violation("", "must not be null", null, "NotNull"));
    }
    Set<ConstraintViolation<T>> found = validator.validate(value);
    if (found.isEmpty()) {
      return List.of();
    }
    List<Violation> out = new ArrayList<>(found.size());
    for (ConstraintViolation<T> v : found) {
      out.add(
          new Violation(
              v.getPropertyPath().toString(),
              v.getMessage(),
              describe(v.getInvalidValue()),
              v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName()));
    }
    out.sort(ORDER);
    return out;
  }

  /** Simple values as text; whole objects are left out (they may be large or personal). */
  private static String describe(Object value) {
    if (value instanceof CharSequence
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Enum<?>
        || value instanceof TemporalAccessor) {
      String text = value.toString();
      return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
    return null;
  }

  private static final class Factory {
    static final ValidatorFactory INSTANCE =
        Validation.byProvider(HibernateValidator.class)
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory();
  }
}
