package dev.collect.core.privacy;

import java.time.temporal.ChronoUnit;

/** One action with its settings, from an annotation or a path rule. */
record FieldRule(PrivacyAction action, int keepLast, ChronoUnit truncateTo, long bucket) {
  static FieldRule of(Personal personal) {
    return new FieldRule(
        personal.value(), personal.keepLast(), personal.truncateTo(), personal.bucket());
  }

  static FieldRule of(PrivacyAction action) {
    return new FieldRule(action, 4, ChronoUnit.HOURS, 10);
  }

  /** Applies the rule to a text value. */
  String text(String value, Pseudonymizer pseudonymizer, FieldCipher cipher) {
    return switch (action) {
      case PSEUDONYMIZE -> pseudonymizer.apply(value);
      case MASK -> Generalizer.mask(value, keepLast);
      case GENERALIZE -> Generalizer.text(value, truncateTo);
      case DROP -> null;
      case ENCRYPT -> cipher.encrypt(value);
    };
  }
}
