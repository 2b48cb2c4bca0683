package dev.collect.core;

import org.jspecify.annotations.Nullable;

/**
 * One broken rule on one record.
 *
 * @param path the property path, e.g. {@code properties.position}
 * @param message what is wrong, e.g. {@code must be >= 0}
 * @param invalidValue the offending value as text, cut to 200 characters, or null; redacted by the
 *     pipeline's privacy policy before it reaches a dead letter
 * @param rule the rule's name, e.g. {@code PositiveOrZero}
 */
public record Violation(String path, String message, @Nullable String invalidValue, String rule) {

  /** The {@code "<path> <message>"} form used in reasons, e.g. {@code userId must not be null}. */
  public String describe() {
    return path == null || path.isEmpty() ? message : path + " " + message;
  }
}
