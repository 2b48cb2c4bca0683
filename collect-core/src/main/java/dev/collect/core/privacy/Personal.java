package dev.collect.core.privacy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.temporal.ChronoUnit;

/** Marks a record component or field as personal data, with what to do with it. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Personal {
  /** The action. */
  PrivacyAction value();

  /** For {@link PrivacyAction#MASK}: characters left visible at the end; default 4. */
  int keepLast() default 4;

  /** For {@link PrivacyAction#GENERALIZE} of timestamps; default hours. */
  ChronoUnit truncateTo() default ChronoUnit.HOURS;

  /** For {@link PrivacyAction#GENERALIZE} of numbers; default 10. */
  long bucket() default 10;
}
