package dev.collect.batch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The DuckDB SQL that reads a lake back with its declared column types, value for value: {@code
 * SELECT * FROM } + {@link #scan(LakeSinkConfig)}. Parquet files carry their types; for JSON Lines
 * and CSV the scan passes explicit {@code columns}, as DuckDB's type detection reads a {@code
 * DOUBLE} column holding {@code "NaN"} as {@code JSON} and extreme {@code LONG}s as {@code
 * HUGEINT}. For CSV it also passes {@code allow_quoted_nulls = false}, so an empty string ({@code
 * ""}) stays apart from null (an empty field).
 */
public final class DuckDb {
  private DuckDb() {}

  /** The DuckDB type of a column type. */
  public static String type(ColumnType type) {
    return switch (type) {
      case STRING -> "VARCHAR";
      case INT -> "INTEGER";
      case LONG -> "BIGINT";
      case DOUBLE -> "DOUBLE";
      case BOOLEAN -> "BOOLEAN";
      case TIMESTAMP -> "TIMESTAMPTZ";
      case DATE -> "DATE";
    };
  }

  /**
   * The columns as a DuckDB {@code columns} struct: {@code {'id': 'BIGINT', 'ts': 'TIMESTAMPTZ'}}.
   */
  public static String columns(List<Column> columns) {
    return columns.stream()
        .map(c -> literal(c.name()) + ": " + literal(type(c.type())))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  /**
   * {@code read_parquet}, {@code read_json} or {@code read_csv} over every data file of the lake
   * ({@code root/*.ext}, or one directory deeper with Hive partitioning when the lake is
   * partitioned). A JSON Lines lake without columns is read with DuckDB's type detection.
   */
  public static String scan(LakeSinkConfig config) {
    LakeFormat format = config.format();
    String extension =
        format.extension()
            + (format == LakeFormat.PARQUET ? "" : config.compression().textSuffix());
    String glob =
        config.root() + (config.partitionColumn() == null ? "" : "/*") + "/*." + extension;
    StringBuilder sql = new StringBuilder();
    sql.append(
            switch (format) {
              case PARQUET -> "read_parquet(";
              case JSON_LINES -> "read_json(";
              case CSV -> "read_csv(";
            })
        .append(literal(glob));
    if (config.partitionColumn() != null) {
      sql.append(", hive_partitioning = true");
    }
    switch (format) {
      case PARQUET -> {}
      case JSON_LINES -> {
        sql.append(", format = 'newline_delimited'");
        if (!config.columns().isEmpty()) {
          sql.append(", columns = ").append(columns(config.columns()));
        }
      }
      case CSV ->
          sql.append(", header = true, delim = ',', quote = '\"', escape = '\"'")
              .append(", allow_quoted_nulls = false, columns = ")
              .append(columns(config.columns()));
    }
    return sql.append(')').toString();
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
