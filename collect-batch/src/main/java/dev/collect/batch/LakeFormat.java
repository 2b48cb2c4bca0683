package dev.collect.batch;

/** The file format of a data lake. */
public enum LakeFormat {
  /**
   * One JSON object per line; extension {@code .jsonl}. Timestamps and dates are ISO-8601 strings,
   * doubles that are not finite the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"};
   * read them back with explicit column types ({@link DuckDb#scan}).
   */
  JSON_LINES("jsonl"),
  /**
   * A header line then one row per record (RFC 4180 quoting, so a value may span lines); extension
   * {@code .csv}. Null is an empty field, an empty string a quoted one ({@code ""}); read it back
   * with {@link DuckDb#scan} (DuckDB needs {@code allow_quoted_nulls = false} to keep them apart).
   */
  CSV("csv"),
  /** Apache Parquet, readable by DuckDB, Spark and Trino; extension {@code .parquet}. */
  PARQUET("parquet");

  private final String extension;

  LakeFormat(String extension) {
    this.extension = extension;
  }

  /** The file extension without the compression suffix. */
  public String extension() {
    return extension;
  }
}
