package dev.collect.batch;

/**
 * The type of a column in a data-lake file or a JDBC table. Values are converted leniently: a
 * number for {@link #LONG} may arrive as any {@link Number} or a numeric string; a {@link
 * #TIMESTAMP} as an {@link java.time.Instant}, an offset or local date-time (read as UTC), or an
 * ISO-8601 string. A value that cannot be converted rejects its record (dead letter).
 */
public enum ColumnType {
  STRING,
  INT,
  LONG,
  DOUBLE,
  BOOLEAN,
  /** An instant, stored in Parquet as INT64 microseconds since the epoch, UTC-adjusted. */
  TIMESTAMP,
  /** A calendar date, stored in Parquet as INT32 days since the epoch. */
  DATE
}
