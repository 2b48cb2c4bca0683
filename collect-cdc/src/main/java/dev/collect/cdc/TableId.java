package dev.collect.cdc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A captured table: the database, the schema (PostgreSQL; null for MySQL/MariaDB) and the table.
 *
 * @param database the database (catalog) name
 * @param schema the schema name, or null where the database has none
 * @param table the table name
 */
public record TableId(String database, @Nullable String schema, String table) {
  public TableId {
    Objects.requireNonNull(table, "table");
  }

  /** {@code schema.table} for PostgreSQL, {@code database.table} for MySQL/MariaDB. */
  @Override
  public String toString() {
    return (schema != null ? schema : database) + "." + table;
  }
}
