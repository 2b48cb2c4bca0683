package dev.collect.batch;

/** The file format of a data lake. */
public enum LakeFormat {
  /** One JSON object per line; extension {@code .jsonl}. */
  JSON_LINES("jsonl"),
  /** A header line then one row per line (RFC 4180 quoting); extension {@code .csv}. */
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
