package dev.collect.batch.internal.lake;

import java.io.IOException;
import java.util.Map;

/**
 * Writes rows of one file; {@link #close()} completes the file (a Parquet footer, a gzip trailer).
 * Each format counts the uncompressed bytes it writes with {@link #counted}. Not thread-safe.
 */
abstract class RecordFileWriter implements AutoCloseable {
  private long bytes;

  /**
   * Appends one row whose values were already converted to the column types.
   *
   * @throws dev.collect.core.MalformedRecordException if the row cannot be written, before any of
   *     its bytes reach the file
   */
  abstract void write(Map<String, Object> row) throws IOException;

  /** About how many uncompressed bytes were written. */
  final long bytesEstimate() {
    return bytes;
  }

  /** Adds {@code written} uncompressed bytes to {@link #bytesEstimate()}. */
  final void counted(long written) {
    bytes += written;
  }

  @Override
  public abstract void close() throws IOException;
}
