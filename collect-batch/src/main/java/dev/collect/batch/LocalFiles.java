package dev.collect.batch;

import dev.collect.batch.internal.file.DirectorySource;
import dev.collect.core.Source;
import java.util.Map;

/**
 * Sources over the files of a local directory.
 *
 * <p>{@link #source}: reads the files of a directory that match a glob, in name order, as JSON
 * Lines or CSV (Jackson's CSV module, header line first), plain, gzip ({@code .gz}) or zstd ({@code
 * .zst}), one record per line as a {@code Map<String, Object>} (CSV values are strings; an empty
 * CSV field is null).
 *
 * <p>Positions are (file, line). On commit the source saves, in the checkpoint store, the line
 * reached in the current file and the fingerprints (path, size and modification time, or a SHA-256
 * checksum) of the files fully processed: a restarted run resumes mid-file after the last settled
 * line, and a rerun skips finished files (a file that changed since is read again from its start).
 *
 * <p>Bad input never stops the run and is never dropped: a malformed JSON line, a CSV line with the
 * wrong number of columns, invalid UTF-8, a line over the size limit and a truncated or corrupt
 * compressed file each become a dead letter (stage {@code source}) carrying the file and line.
 * Bounded; used from the pipeline's reader thread only. A record must fit on one line (no quoted
 * CSV newlines).
 */
public final class LocalFiles {
  private LocalFiles() {}

  /** A source reading the files {@code config} describes. */
  public static Source<Map<String, Object>> source(FileSourceConfig config) {
    return new DirectorySource(config);
  }
}
