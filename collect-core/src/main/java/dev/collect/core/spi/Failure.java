package dev.collect.core.spi;

import dev.collect.core.DeadLetter;
import dev.collect.core.Envelope;
import dev.collect.core.Stage;
import dev.collect.core.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One record's failure, as the runtime and connectors report it to become a {@link DeadLetter}:
 * which record, where, why, and how often it was tried. Immutable; build one with {@link #of} or
 * {@link #invalid} and refine it with {@link #attempts(boolean, int, Instant)}.
 *
 * @param record the record as the source delivered it (its raw bytes, position and headers go into
 *     the dead letter)
 * @param component the failing source, step or sink, by name
 * @param stage where it failed
 * @param reason a short, stable reason: {@code malformed}, {@code invalid}, {@code rejected}...
 * @param cause the exception, or null (a validation failure has violations instead)
 * @param violations the validation violations, empty if none
 * @param retryable whether trying again later might succeed
 * @param attempts how many times the failing part was tried, at least 1
 * @param firstFailure when it first failed, or null for "now" (a failure at its first attempt)
 */
public record Failure(
    Envelope<?> record,
    @Nullable String component,
    Stage stage,
    String reason,
    @Nullable Throwable cause,
    List<Violation> violations,
    boolean retryable,
    int attempts,
    @Nullable Instant firstFailure) {

  /** Checks the parts; {@code violations} is copied. */
  public Failure {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(stage, "stage");
    Checks.notBlank("reason", reason);
    Checks.positive("attempts", attempts);
    violations = violations == null ? List.of() : List.copyOf(violations);
  }

  /** A failure at its first attempt, not retryable, without violations. */
  public static Failure of(
      Envelope<?> record,
      @Nullable String component,
      Stage stage,
      String reason,
      @Nullable Throwable cause) {
    return new Failure(record, component, stage, reason, cause, List.of(), false, 1, null);
  }

  /** A record that failed validation at {@code validator}: reason {@code invalid}. */
  public static Failure invalid(Envelope<?> record, String validator, List<Violation> violations) {
    return new Failure(
        record, validator, Stage.VALIDATE, "invalid", null, violations, false, 1, null);
  }

  /** This failure after {@code attempts} tries, the first of which failed at {@code first}. */
  public Failure attempts(boolean retryable, int attempts, @Nullable Instant first) {
    return new Failure(
        record, component, stage, reason, cause, violations, retryable, attempts, first);
  }
}
