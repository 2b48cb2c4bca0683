package dev.collect.batch.internal.lake;

import dev.collect.batch.Column;
import dev.collect.batch.ColumnType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Lake columns from an Avro record schema, and rows from Avro records: a nested record's fields
 * become {@code parent_child} columns; timestamps and dates become TIMESTAMP and DATE.
 */
public final class AvroRows {
  private AvroRows() {}

  /** The columns of {@code schema}, a record of primitives, enums and nested records. */
  public static List<Column> columns(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(
          "a lake's Avro schema must be a record, but was " + schema.getType());
    }
    List<Column> columns = new ArrayList<>();
    addColumns("", schema, false, columns);
    return columns;
  }

  private static void addColumns(
      String prefix, Schema record, boolean nullable, List<Column> columns) {
    for (Schema.Field field : record.getFields()) {
      Schema type = nonNull(field.schema());
      boolean optional = nullable || type != field.schema();
      String name = prefix + field.name();
      if (type.getType() == Schema.Type.RECORD) {
        addColumns(name + "_", type, optional, columns);
      } else {
        columns.add(new Column(name, columnType(name, type), optional));
      }
    }
  }

  private static ColumnType columnType(String name, Schema type) {
    LogicalType logical = type.getLogicalType();
    return switch (type.getType()) {
      case STRING, ENUM -> ColumnType.STRING;
      case INT -> logical instanceof LogicalTypes.Date ? ColumnType.DATE : ColumnType.INT;
      case LONG ->
          logical instanceof LogicalTypes.TimestampMillis
                  || logical instanceof LogicalTypes.TimestampMicros
              ? ColumnType.TIMESTAMP
              : ColumnType.LONG;
      case FLOAT, DOUBLE -> ColumnType.DOUBLE;
      case BOOLEAN -> ColumnType.BOOLEAN;
      default ->
          throw new IllegalArgumentException(
              "field '"
                  + name
                  + "' has Avro type "
                  + type.getType()
                  + ", which has no lake column type: use primitives, enums and nested records");
    };
  }

  /** The schema inside {@code ["null", X]}; any other schema as it is. */
  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    List<Schema> types = schema.getTypes();
    if (types.size() == 2 && types.get(0).getType() == Schema.Type.NULL) {
      return types.get(1);
    }
    if (types.size() == 2 && types.get(1).getType() == Schema.Type.NULL) {
      return types.get(0);
    }
    throw new IllegalArgumentException(
        "a union other than [\"null\", X] has no lake column type: " + schema);
  }

  /** The record as a flat map of column names to values, in its own schema. */
  public static Map<String, Object> row(IndexedRecord record) {
    Map<String, Object> row = new LinkedHashMap<>();
    addValues("", record, row);
    return row;
  }

  private static void addValues(String prefix, IndexedRecord record, Map<String, Object> row) {
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      String name = prefix + field.name();
      if (value instanceof IndexedRecord nested) {
        addValues(name + "_", nested, row);
      } else if (value != null) {
        row.put(name, value(field.schema(), value));
      }
    }
  }

  private static Object value(Schema schema, Object value) {
    if (value instanceof CharSequence || value instanceof Enum<?>) {
      return value.toString();
    }
    if (schema.getType() == Schema.Type.UNION) {
      for (Schema type : schema.getTypes()) {
        if (type.getType() != Schema.Type.NULL) {
          return value(type, value);
        }
      }
    }
    if (schema.getType() == Schema.Type.ENUM) {
      return value.toString();
    }
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.TimestampMillis && value instanceof Long millis) {
      return Instant.ofEpochMilli(millis);
    }
    if (logical instanceof LogicalTypes.TimestampMicros && value instanceof Long micros) {
      return Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS);
    }
    if (logical instanceof LogicalTypes.Date && value instanceof Integer days) {
      return LocalDate.ofEpochDay(days);
    }
    return value;
  }
}
