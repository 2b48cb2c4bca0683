package dev.collect.core.privacy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Coarsens values: IP addresses, timestamps, numbers. Stateless. */
final class Generalizer {
  private Generalizer() {}

  /** An IP address or an ISO-8601 instant, coarsened; other text is masked entirely. */
  static String text(String value, ChronoUnit unit) {
    if (value.indexOf('.') > 0 && value.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
      int last = value.lastIndexOf('.');
      return value.substring(0, last) + ".0";
    }
    if (value.indexOf(':') > 0
        && value.chars().allMatch(c -> c == ':' || Character.digit(c, 16) >= 0)) {
      String[] groups = value.split(":", -1);
      if (groups.length >= 3) {
        return groups[0] + ":" + groups[1] + ":" + groups[2] + "::";
      }
    }
    try {
      return instant(Instant.parse(value), unit).toString();
    } catch (DateTimeParseException e) {
      return "*".repeat(Math.min(value.length(), 8));
    }
  }

  static Instant instant(Instant value, ChronoUnit unit) {
    if (unit.compareTo(ChronoUnit.DAYS) > 0) {
      // Instant truncation stops at days; coarser units fall back to days.
      return value.truncatedTo(ChronoUnit.DAYS);
    }
    return value.truncatedTo(unit);
  }

  static long number(long value, long bucket) {
    return Math.floorDiv(value, bucket) * bucket;
  }

  static String mask(String value, int keepLast) {
    int keep = Math.min(Math.max(0, keepLast), value.length() / 2);
    return "*".repeat(value.length() - keep) + value.substring(value.length() - keep);
  }
}
