package dev.collect.stream;

/**
 * Which clock a window follows. Explicit in every windowing API, because the two answer different
 * questions: what happened in a minute of the world ({@link #EVENT_TIME}), or what arrived in a
 * minute of the pipeline ({@link #PROCESSING_TIME}).
 */
public enum TimeDomain {
  /**
   * The time the event happened, from the record; order and completeness come from a {@link
   * WatermarkStrategy}, and records arriving after their window closed are late.
   */
  EVENT_TIME,
  /** The pipeline's clock when the record is processed; nothing is ever late. */
  PROCESSING_TIME
}
