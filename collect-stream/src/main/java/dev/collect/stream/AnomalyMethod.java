package dev.collect.stream;

/** How a point is judged against the recent points of its series. */
public enum AnomalyMethod {
  /**
   * {@code |x - mean| / stddev}: simple, but one big outlier inflates the spread it is judged by.
   */
  Z_SCORE,
  /**
   * The modified z-score {@code 0.6745 * |x - median| / MAD} (Iglewicz and Hoaglin): robust to the
   * outliers it looks for; 3.5 is the usual threshold.
   */
  MEDIAN_ABSOLUTE_DEVIATION
}
