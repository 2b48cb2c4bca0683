package dev.collect.stream;

import dev.collect.core.RejectedRecordException;
import java.time.Instant;

/**
 * A record whose event time is behind the watermark by more than the allowed lateness: every window
 * it belongs to was closed and purged. Thrown by a windowing collector with the default {@link
 * LateRecords#toDeadLetters()} policy, so the pipeline dead-letters the record with reason {@value
 * #REASON} (counted as dead-lettered); the message names the times, never the content. Not
 * retriable.
 */
public class LateRecordException extends RejectedRecordException {
  /** The dead letter's reason. */
  public static final String REASON = "late";

  private static final long serialVersionUID = 1L;

  private final Instant eventTime;
  private final Instant watermark;

  public LateRecordException(Instant eventTime, Instant watermark) {
    super(
        REASON,
        "late: event time "
            + eventTime
            + " is behind the watermark "
            + watermark
            + " by more than the allowed lateness");
    this.eventTime = eventTime;
    this.watermark = watermark;
  }

  public Instant eventTime() {
    return eventTime;
  }

  public Instant watermark() {
    return watermark;
  }
}
