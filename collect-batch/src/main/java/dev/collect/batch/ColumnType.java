package dev.collect.batch;

/**
 * The type of a column in a data-lake file or a JDBC table. Values are converted leniently: a
 * number for {@link #LONG} may arrive as any {@link Number} or a numeric string; a {@link
 * #TIMESTAMP} as an {@link java.time.Instant}, an offset or local date-time (read as UTC), or an
 * ISO-8601 string. A value that cannot be converted, or lies outside the type's range, rejects its
 * record (dead letter). {@link DuckDb#type(ColumnType)} names the DuckDB type of each.
 */
public enum ColumnType {
  STRING,
  INT,
  LONG,
  DOUBLE,
  BOOLEAN,
  /**
   * An instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z, cut to microseconds;
   * stored in Parquet as INT64 microseconds since the epoch, UTC-adjusted, and in text formats as
   * ISO-8601 ({@code 2026-11-24T10:15:30.123456Z}). DuckDB type {@code TIMESTAMPTZ}.
   */
  TIMESTAMP,
  /**
   * A calendar date from 0001-01-01 to 9999-12-31, stored in Parquet as INT32 days since the epoch,
   * in text formats as ISO-8601 ({@code 2026-11-24}).
   */
  DATE
}
