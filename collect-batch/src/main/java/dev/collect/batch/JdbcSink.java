package dev.collect.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.batch.internal.jdbc.BatchedJdbcSink;
import dev.collect.core.Sink;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Writes each batch to a SQL table in one transaction: plain batched inserts, or idempotent upserts
 * by key columns (PostgreSQL and SQLite {@code ON CONFLICT}, MariaDB {@code ON DUPLICATE KEY}, H2
 * {@code MERGE}), so a replayed batch leaves one row per key. Records are {@code Map}s or types
 * Jackson converts to maps; values are bound with {@code setObject} ({@code Instant}s as
 * timestamps). A batch that fails is rolled back whole: transient errors are retried, a rejected
 * batch is split by the runtime until the bad record stands alone. Thread-safe: each write uses its
 * own connection.
 */
public final class JdbcSink {
  private JdbcSink() {}

  /** Starts a sink into {@code table} with the given columns. */
  public static Builder builder(DataSource dataSource, String table, List<String> columns) {
    return new Builder(dataSource, table, columns);
  }

  /**
   * The immutable settings.
   *
   * @param dataSource where to write
   * @param dialect the database's dialect
   * @param table the table
   * @param columns the columns written, from the record fields of the same names
   * @param keyColumns the key of an upsert, or empty for plain inserts
   * @param name the sink's name
   * @param mapper converts records that are not maps
   */
  public record Config(
      DataSource dataSource,
      SqlDialect dialect,
      String table,
      List<String> columns,
      List<String> keyColumns,
      String name,
      ObjectMapper mapper) {}

  /** Builds a JDBC sink; not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final String table;
    private final List<String> columns;
    private List<String> keys = List.of();
    private SqlDialect dialect;
    private String name;
    private ObjectMapper mapper;

    private Builder(DataSource dataSource, String table, List<String> columns) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.table = SqlDialect.identifier(table);
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("columns must not be empty");
      }
      columns.forEach(SqlDialect::identifier);
      this.columns = List.copyOf(columns);
    }

    /** Upserts by these columns (a primary or unique key); default none (plain inserts). */
    public Builder upsertOn(String... keyColumns) {
      for (String k : keyColumns) {
        if (!columns.contains(SqlDialect.identifier(k))) {
          throw new IllegalArgumentException("key column '" + k + "' is not among the columns");
        }
      }
      this.keys = List.of(keyColumns);
      return this;
    }

    /** The dialect; default detected from the database. */
    public Builder dialect(SqlDialect value) {
      this.dialect = Objects.requireNonNull(value, "dialect");
      return this;
    }

    /** The sink's name; default {@code jdbc:<table>}. */
    public Builder name(String value) {
      this.name = Objects.requireNonNull(value, "name");
      return this;
    }

    /** The Jackson mapper for records that are not maps; default a plain one with Java time. */
    public Builder mapper(ObjectMapper value) {
      this.mapper = Objects.requireNonNull(value, "mapper");
      return this;
    }

    /** The sink (detects the dialect if it was not given). */
    public <T> Sink<T> build() throws SQLException {
      return new BatchedJdbcSink<>(
          new Config(
              dataSource,
              dialect != null ? dialect : SqlDialect.detect(dataSource),
              table,
              columns,
              keys,
              name != null ? name : "jdbc:" + table,
              mapper));
    }
  }
}
