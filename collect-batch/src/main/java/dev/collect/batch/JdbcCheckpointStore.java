package dev.collect.batch;

import dev.collect.batch.internal.jdbc.SqlCheckpointStore;
import dev.collect.core.CheckpointStore;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A {@link CheckpointStore} in a SQL table ({@code collect_checkpoints}, created if absent) on
 * PostgreSQL, MariaDB, H2 or SQLite, so that several processes share a job's positions and run
 * history. Each save is one upsert in its own transaction: a load sees exactly the last committed
 * value. Thread-safe (a connection per call; give it a pooled data source under load).
 */
public final class JdbcCheckpointStore {
  /** The default table name. */
  public static final String DEFAULT_TABLE = "collect_checkpoints";

  private JdbcCheckpointStore() {}

  /** A store in {@value #DEFAULT_TABLE}. */
  public static CheckpointStore create(DataSource dataSource) throws SQLException {
    return create(dataSource, DEFAULT_TABLE);
  }

  /** A store in {@code table}, created if absent. */
  public static CheckpointStore create(DataSource dataSource, String table) throws SQLException {
    return new SqlCheckpointStore(
        dataSource, SqlDialect.detect(dataSource), SqlDialect.identifier(table));
  }
}
