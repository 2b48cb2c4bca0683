package dev.collect.batch;

/**
 * A compression codec. Text files (JSON Lines, CSV) take {@link #NONE}, {@link #GZIP} or {@link
 * #ZSTD} on the whole file; Parquet takes {@link #NONE}, {@link #SNAPPY}, {@link #GZIP} or {@link
 * #ZSTD} per page.
 */
public enum Compression {
  NONE(""),
  GZIP(".gz"),
  ZSTD(".zst"),
  SNAPPY("");

  private final String suffix;

  Compression(String suffix) {
    this.suffix = suffix;
  }

  /** The file-name suffix of a compressed text file ({@code .gz}, {@code .zst}), or empty. */
  public String textSuffix() {
    return suffix;
  }
}
