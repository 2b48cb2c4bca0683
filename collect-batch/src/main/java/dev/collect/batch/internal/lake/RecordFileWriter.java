package dev.collect.batch.internal.lake;

import java.io.IOException;
import java.util.Map;

/**
 * Writes rows of one file; {@link #close()} completes the file (a Parquet footer, a gzip trailer).
 */
interface RecordFileWriter extends AutoCloseable {

  /**
   * Appends one row whose values were already converted to the column types.
   *
   * @throws dev.collect.core.MalformedRecordException if the row cannot be written, before any of
   *     its bytes reach the file
   */
  void write(Map<String, Object> row) throws IOException;

  /** About how many uncompressed bytes were written. */
  long bytesEstimate();

  @Override
  void close() throws IOException;
}
