package dev.collect.batch;

import dev.collect.batch.internal.jdbc.IncrementalJdbcSource;
import dev.collect.core.CheckpointStore;
import dev.collect.core.Source;
import dev.collect.core.spi.Checks;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Incremental extraction from a SQL table by a cursor column (an increasing {@code updated_at}
 * timestamp or id) with a tie-breaker column for equal cursor values, in keyset pages ({@code WHERE
 * c >= ? AND (c > ? OR t > ?) ORDER BY c, t LIMIT n}; give the table an index on {@code (c, t)})
 * read with a fetch size.
 *
 * <p>Each row becomes a {@code Map<String, Object>} (column label to value; timestamps as {@code
 * LocalDateTime}, or {@code Instant} for zoned ones) in cursor order. The cursor is saved in the
 * checkpoint store only when the runtime commits, that is after the sink settled the rows: a
 * restarted extraction resumes after the last settled row (at-least-once; exactly-once with an
 * idempotent sink). Bounded: one run reads up to the newest row and finishes. Works on PostgreSQL,
 * MariaDB, H2 and SQLite. Used from the pipeline's reader thread only.
 *
 * <p>Warning: a row committed by a slow transaction with a cursor value older than rows already
 * read is missed; use a cursor the database assigns at commit, or re-read a safety window.
 */
public final class JdbcSource {
  /** Default rows per keyset page. */
  public static final int DEFAULT_PAGE_SIZE = 1000;

  private JdbcSource() {}

  /** Starts a source reading {@code table} incrementally by {@code cursorColumn}. */
  public static Builder builder(DataSource dataSource, String table, String cursorColumn) {
    return new Builder(dataSource, table, cursorColumn);
  }

  /**
   * The immutable settings.
   *
   * @param dataSource where to read
   * @param table the table or view
   * @param cursorColumn the increasing column
   * @param tieBreakerColumn a unique column ordering rows with equal cursors, or null if the cursor
   *     is unique
   * @param pageSize rows per query
   * @param fetchSize the JDBC fetch size
   * @param checkpoints where the cursor is kept, or null for the pipeline's store
   * @param checkpointKey the key of the cursor
   * @param name the source's name
   */
  public record Config(
      DataSource dataSource,
      String table,
      String cursorColumn,
      String tieBreakerColumn,
      int pageSize,
      int fetchSize,
      CheckpointStore checkpoints,
      String checkpointKey,
      String name) {}

  /** Builds a JDBC source; not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final String table;
    private final String cursorColumn;
    private String tieBreaker;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private int fetchSize = -1;
    private CheckpointStore checkpoints;
    private String checkpointKey;
    private String name;

    private Builder(DataSource dataSource, String table, String cursorColumn) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.table = SqlDialect.identifier(table);
      this.cursorColumn = SqlDialect.identifier(cursorColumn);
    }

    /** A unique column ordering rows with equal cursor values (e.g. {@code id}); default none. */
    public Builder tieBreaker(String column) {
      this.tieBreaker = SqlDialect.identifier(column);
      return this;
    }

    /** Rows per keyset page; default {@value #DEFAULT_PAGE_SIZE}. */
    public Builder pageSize(int value) {
      Checks.positive("pageSize", value);
      this.pageSize = value;
      return this;
    }

    /** The JDBC fetch size; default the page size. */
    public Builder fetchSize(int value) {
      Checks.positive("fetchSize", value);
      this.fetchSize = value;
      return this;
    }

    /**
     * Where the cursor is kept under {@code key}; default the pipeline's store, key {@code
     * jdbc:<table>}.
     */
    public Builder checkpoints(CheckpointStore store, String key) {
      this.checkpoints = Objects.requireNonNull(store, "store");
      this.checkpointKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /** The source's name; default {@code jdbc:<table>}. */
    public Builder name(String value) {
      this.name = Objects.requireNonNull(value, "name");
      return this;
    }

    /** The settings. */
    public Config config() {
      return new Config(
          dataSource,
          table,
          cursorColumn,
          tieBreaker,
          pageSize,
          fetchSize > 0 ? fetchSize : pageSize,
          checkpoints,
          checkpointKey != null ? checkpointKey : "jdbc:" + table,
          name != null ? name : "jdbc:" + table);
    }

    /** The source. */
    public Source<Map<String, Object>> build() {
      return new IncrementalJdbcSource(config());
    }
  }
}
