package dev.collect.batch;

import dev.collect.batch.internal.jdbc.BatchedJdbcSink;
import dev.collect.batch.internal.jdbc.IncrementalJdbcSource;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import java.sql.SQLException;
import java.util.Map;

/**
 * A SQL database as a batch source (incremental keyset extraction by a cursor column, optionally
 * one slice of the table) and as a sink (batched inserts or upserts). What each guarantees is on
 * {@link JdbcSourceConfig} and {@link JdbcSinkConfig}.
 */
public final class Jdbc {
  private Jdbc() {}

  /** A source reading {@code config}'s table incrementally; nothing is read before it opens. */
  public static Source<Map<String, Object>> source(JdbcSourceConfig config) {
    return new IncrementalJdbcSource(config);
  }

  /**
   * A sink writing {@code config}'s table in batches, one transaction per batch; detects the SQL
   * dialect from the database when the settings give none.
   *
   * @throws SQLException when the dialect must be detected and the database cannot be reached
   */
  public static <T> Sink<T> sink(JdbcSinkConfig config) throws SQLException {
    return new BatchedJdbcSink<>(config);
  }
}
