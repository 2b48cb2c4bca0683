package dev.collect.cdc;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A change of a table's columns. MySQL/MariaDB report the DDL statement itself; PostgreSQL's
 * logical decoding does not carry DDL, so for PostgreSQL the change is detected from the columns of
 * the table's events: it is reported just before the first event with the new columns, with {@code
 * ddl} null and {@code previousColumns} the columns seen before (empty when the table was not seen
 * yet in this run).
 *
 * @param ddl the DDL statement, or null where the database does not report it
 * @param previousColumns the columns before the change, in table order (may be empty if unknown)
 * @param columns the columns after the change, in table order
 */
public record SchemaChange(
    @Nullable String ddl, List<Column> previousColumns, List<Column> columns) {
  public SchemaChange {
    previousColumns = List.copyOf(previousColumns);
    columns = List.copyOf(columns);
  }

  /**
   * A column.
   *
   * @param name the column's name
   * @param type the type: the database's type name (MySQL/MariaDB) or the Kafka Connect schema type
   *     and logical name (PostgreSQL), e.g. {@code INT32} or {@code STRING}
   * @param optional whether the column may be null
   */
  public record Column(String name, String type, boolean optional) {}
}
