package dev.collect.batch;

import dev.collect.core.spi.Checks;
import java.util.Objects;

/**
 * One column of a data-lake schema: a name, a type and whether it may be null.
 *
 * @param name the field name in the record (and the column name in the file)
 * @param type the column type
 * @param nullable whether a missing or null value is allowed (else the record is rejected)
 */
public record Column(String name, ColumnType type, boolean nullable) {
  public Column {
    Checks.notBlank("column name", name);
    Objects.requireNonNull(type, "type");
  }

  /** A nullable column. */
  public static Column of(String name, ColumnType type) {
    return new Column(name, type, true);
  }

  /** A column that must have a value. */
  public static Column required(String name, ColumnType type) {
    return new Column(name, type, false);
  }
}
