package dev.collect.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.spi.Checks;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link Jdbc#sink JDBC sink}. Immutable; build with {@link #builder(DataSource,
 * String, List)}.
 *
 * @param dataSource where to write
 * @param dialect the database's dialect, or null to detect it when the sink is created
 * @param table the table
 * @param columns the columns written, from the record fields of the same names; not empty
 * @param keyColumns the key of an upsert (a subset of the columns), or empty for plain inserts
 * @param name the sink's name; default {@code jdbc:<table>}
 * @param mapper converts records that are not maps, or null for a plain one with Java time
 */
public record JdbcSinkConfig(
    DataSource dataSource,
    @Nullable SqlDialect dialect,
    String table,
    List<String> columns,
    List<String> keyColumns,
    String name,
    @Nullable ObjectMapper mapper) {

  /** Checks the settings. */
  public JdbcSinkConfig {
    Objects.requireNonNull(dataSource, "dataSource");
    SqlDialect.identifier(table);
    columns = List.copyOf(columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("columns must not be empty");
    }
    columns.forEach(SqlDialect::identifier);
    keyColumns = List.copyOf(keyColumns == null ? List.of() : keyColumns);
    for (String k : keyColumns) {
      if (!columns.contains(SqlDialect.identifier(k))) {
        throw new IllegalArgumentException("key column '" + k + "' is not among the columns");
      }
    }
    Checks.notBlank("name", name);
  }

  /** A builder writing {@code columns} into {@code table}, with the defaults. */
  public static Builder builder(DataSource dataSource, String table, List<String> columns) {
    return new Builder(dataSource, table, columns);
  }

  /** This configuration with {@code value} as its dialect. */
  JdbcSinkConfig withDialect(SqlDialect value) {
    return new JdbcSinkConfig(dataSource, value, table, columns, keyColumns, name, mapper);
  }

  /** Builds a {@link JdbcSinkConfig}; mutable, not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private final String table;
    private final List<String> columns;
    private List<String> keys = List.of();
    private @Nullable SqlDialect dialect;
    private @Nullable String name;
    private @Nullable ObjectMapper mapper;

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

    /** The dialect; default detected from the database when the sink is created. */
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
