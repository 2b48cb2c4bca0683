package dev.collect.batch;

import dev.collect.batch.internal.jdbc.BatchedJdbcSink;
import dev.collect.batch.internal.jdbc.IncrementalJdbcSource;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import java.sql.SQLException;
import java.util.Map;

/**
 * JDBC sources and sinks.
 *
 * <p>{@link #source}: incremental extraction from a SQL table by a cursor column (an increasing
 * {@code updated_at} timestamp or id) with a tie-breaker column for equal cursor values, in keyset
 * pages ({@code WHERE c >= ? AND (c > ? OR t > ?) ORDER BY c, t LIMIT n}; give the table an index
 * on {@code (c, t)}) read with a fetch size. Each row becomes a {@code Map<String, Object>} (column
 * label to value; timestamps as {@code LocalDateTime}, or {@code Instant} for zoned ones) in cursor
 * order. The cursor is saved in the checkpoint store only when the runtime commits, that is after
 * the sink settled the rows: a restarted extraction resumes after the last settled row
 * (at-least-once; exactly-once with an idempotent sink). Bounded: one run reads up to the newest
 * row and finishes. Works on PostgreSQL, MariaDB, H2 and SQLite. Used from the pipeline's reader
 * thread only. Scale-out: {@link JdbcSourceConfig.Builder#slice(String, int, int)} splits one
 * extraction over N processes, each reading the rows of its {@link JdbcSourceConfig.Slice} with a
 * checkpoint of its own. Warning: a row committed by a slow transaction with a cursor value older
 * than rows already read is missed; use a cursor the database assigns at commit, or re-read a
 * safety window.
 *
 * <p>{@link #sink}: writes each batch to a SQL table in one transaction: plain batched inserts, or
 * idempotent upserts by key columns (PostgreSQL and SQLite {@code ON CONFLICT}, MariaDB {@code ON
 * DUPLICATE KEY}, H2 {@code MERGE}), so a replayed batch leaves one row per key. Records are {@code
 * Map}s or types Jackson converts to maps; values are bound with {@code setObject} ({@code
 * Instant}s as timestamps). A batch that fails is rolled back whole: transient errors are retried,
 * a rejected batch is split by the runtime until the bad record stands alone. Thread-safe: each
 * write uses its own connection.
 */
public final class Jdbc {
  private Jdbc() {}

  /** A source reading the table {@code config} describes incrementally. */
  public static Source<Map<String, Object>> source(JdbcSourceConfig config) {
    return new IncrementalJdbcSource(config);
  }

  /**
   * A sink writing into the table {@code config} describes.
   *
   * @throws SQLException if the dialect was not set and detecting it from the database failed
   */
  public static <T> Sink<T> sink(JdbcSinkConfig config) throws SQLException {
    SqlDialect dialect = config.dialect();
    return new BatchedJdbcSink<>(
        config.withDialect(dialect != null ? dialect : SqlDialect.detect(config.dataSource())));
  }
}
