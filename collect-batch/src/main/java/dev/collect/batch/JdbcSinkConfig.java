package dev.collect.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.spi.Checks;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a connector built by {@link Jdbc#sink(JdbcSinkConfig)}. Writes each batch to a SQL
 * table in one transaction: plain batched inserts, or idempotent upserts by key columns (PostgreSQL
 * and SQLite {@code ON CONFLICT}, MariaDB {@code ON DUPLICATE KEY}, H2 {@code MERGE}), so a
 * replayed batch leaves one row per key. Records are {@code Map}s or types Jackson converts to
 * maps; values are bound with {@code setObject} ({@code Instant}s as timestamps). A batch that
 * fails is rolled back whole: transient errors are retried, a rejected batch is split by the
 * runtime until the bad record stands alone. Thread-safe: each write uses its own connection.
 *
 * @param dataSource where to write
 * @param dialect the database's dialect, or null to detect it when the sink is made
 * @param table the table
 * @param columns the columns written, from the record fields of the same names
 * @param keyColumns the key of an upsert, or empty for plain inserts
 * @param name the sink's name
 * @param mapper converts records that are not maps
 */
public record JdbcSinkConfig(
    DataSource dataSource,
    @Nullable SqlDialect dialect,
    String table,
    List<String> columns,
    List<String> keyColumns,
    String name,
    @Nullable ObjectMapper mapper) {

  /** Starts a sink into {@code table} with the given columns. */
  public static Builder builder(DataSource dataSource, String table, List<String> columns) {
    return new Builder(dataSource, table, columns);
  }

  public JdbcSinkConfig {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(keyColumns, "keyColumns");
    Objects.requireNonNull(name, "name");
    table = SqlDialect.identifier(table);
    columns = List.copyOf(columns);
    keyColumns = List.copyOf(keyColumns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("columns must not be empty");
    }
    columns.forEach(SqlDialect::identifier);
    for (String k : keyColumns) {
      if (!columns.contains(SqlDialect.identifier(k))) {
        throw new IllegalArgumentException("key column '" + k + "' is not among the columns");
      }
    }
    Checks.notBlank("name", name);
  }

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

    /** The settings. */
    public JdbcSinkConfig build() {
      return new JdbcSinkConfig(
          dataSource, dialect, table, columns, keys, name != null ? name : "jdbc:" + table, mapper);
    }
  }
}
