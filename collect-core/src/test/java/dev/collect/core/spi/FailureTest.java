package dev.collect.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.Envelope;
import dev.collect.core.Stage;
import dev.collect.core.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureTest {
  private final Envelope<String> record = Envelope.of("x");

  @Test
  void aFirstFailureIsOneAttemptNotRetryableWithoutViolations() {
    IllegalStateException cause = new IllegalStateException("boom");

    Failure failure = Failure.of(record, "parse", Stage.COLLECT, "malformed", cause);

    assertThat(failure.attempts()).isEqualTo(1);
    assertThat(failure.retryable()).isFalse();
    assertThat(failure.violations()).isEmpty();
    assertThat(failure.firstFailure()).isNull();
    assertThat(failure.cause()).isSameAs(cause);
  }

  @Test
  void attemptsKeepsEverythingElse() {
    Instant first = Instant.parse("2026-01-01T00:00:00Z");

    Failure failure =
        Failure.of(record, "crm", Stage.TRANSFORM, "retries_exhausted", null)
            .attempts(true, 3, first);

    assertThat(failure)
        .isEqualTo(
            new Failure(
                record,
                "crm",
                Stage.TRANSFORM,
                "retries_exhausted",
                null,
                List.of(),
                true,
                3,
                first));
  }

  @Test
  void violationsAreCopied() {
    List<Violation> violations = new ArrayList<>(List.of(new Violation("a", "bad", "1", "rule")));

    Failure failure = Failure.invalid(record, "bean", violations);
    violations.clear();

    assertThat(failure.violations()).hasSize(1);
    assertThat(failure.reason()).isEqualTo("invalid");
    assertThat(failure.stage()).isEqualTo(Stage.VALIDATE);
  }

  @Test
  void rejectsAttemptsBelowOneAndABlankReason() {
    assertThatThrownBy(
            () -> Failure.of(record, "c", Stage.SINK, "rejected", null).attempts(false, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempts must be > 0, but was 0");
    assertThatThrownBy(() -> Failure.of(record, "c", Stage.SINK, " ", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reason must not be blank, but was ' '");
  }
}
