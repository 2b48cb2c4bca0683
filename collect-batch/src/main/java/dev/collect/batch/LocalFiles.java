package dev.collect.batch;

import dev.collect.batch.internal.file.DirectorySource;
import dev.collect.core.Source;
import java.util.Map;

/**
 * Files in a local directory as a batch source: JSON Lines or CSV, plain, gzip or zstd, one record
 * per line as a {@code Map<String, Object>}. Bounded, resumable mid-file, and bad lines become dead
 * letters; the details are on {@link FileSourceConfig}.
 */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * A source over the files {@code config} selects; nothing is read before the pipeline opens it.
   */
  public static Source<Map<String, Object>> source(FileSourceConfig config) {
    return new DirectorySource(config);
  }
}
