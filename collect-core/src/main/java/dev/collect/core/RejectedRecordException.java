package dev.collect.core;

import dev.collect.core.spi.Checks;

/**
 * Thrown by a step to dead-letter the current record with a reason of its own ({@code late}, {@code
 * duplicate}, {@code out_of_range}...) instead of {@code malformed} or {@code failed}. It is about
 * the record, so it is never retried; the run report counts the record as dead-lettered. Like every
 * Collect exception, its message must not contain the record's content.
 */
public class RejectedRecordException extends CollectException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * @param reason the dead letter's reason: a short, stable, lower-case word for dashboards
   * @param message what is wrong, without the record's content
   */
  public RejectedRecordException(String reason, String message) {
    super(message);
    Checks.notBlank("reason", reason);
    this.reason = reason;
  }

  /** The dead letter's reason. */
  public String reason() {
    return reason;
  }
}
