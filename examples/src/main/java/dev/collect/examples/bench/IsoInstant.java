package dev.collect.examples.bench;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The text is an ISO-8601 instant ({@code Instant.parse} accepts it); null passes. */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = IsoInstant.Check.class)
public @interface IsoInstant {
  String message() default "must be an ISO-8601 instant";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** The check behind {@link IsoInstant}. */
  final class Check implements ConstraintValidator<IsoInstant, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      try {
        Instant.parse(value);
        return true;
      } catch (DateTimeParseException e) {
        return false;
      }
    }
  }
}
