package dev.collect.batch;

import dev.collect.core.CheckpointStore;
import dev.collect.core.spi.Checks;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a batch source, built by {@link LocalFiles#source(FileSourceConfig)}, that reads the
 * files of a directory that match a glob, in name order, as JSON Lines or CSV (Jackson's CSV
 * module, header line first), plain, gzip ({@code .gz}) or zstd ({@code .zst}), one record per line
 * as a {@code Map<String, Object>} (CSV values are strings; an empty CSV field is null).
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
 *
 * @param directory the directory (not recursive)
 * @param glob the file-name pattern ({@code *.csv.gz}); default {@code *}
 * @param format the format, or null to take it from the extension ({@code .csv}, else JSON Lines)
 * @param csvSeparator the CSV column separator; default {@code ','}
 * @param maxLineBytes the longest line accepted; default {@value #DEFAULT_MAX_LINE_BYTES}
 * @param fingerprint how finished files are recognised; default {@link Fingerprint#SIZE_AND_MTIME}
 * @param checkpoints the store, or null for the pipeline's
 * @param checkpointKey the key prefix in the store; default the name
 * @param name the source's name; default {@code files:<directory name>}
 */
public record FileSourceConfig(
    Path directory,
    String glob,
    @Nullable LakeFormat format,
    char csvSeparator,
    int maxLineBytes,
    Fingerprint fingerprint,
    @Nullable CheckpointStore checkpoints,
    String checkpointKey,
    String name) {
  /** Default limit of one line, in bytes. */
  public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

  public FileSourceConfig {
    Objects.requireNonNull(directory, "directory");
    Checks.notBlank("glob", glob);
    checkFormat(format);
    Checks.positive("maxLineBytes", maxLineBytes);
    Objects.requireNonNull(fingerprint, "fingerprint");
    Checks.notBlank("checkpointKey", checkpointKey);
    Checks.notBlank("name", name);
  }

  /** A builder for a source over {@code directory}, with the defaults. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  private static @Nullable LakeFormat checkFormat(@Nullable LakeFormat format) {
    if (format == LakeFormat.PARQUET) {
      throw new IllegalArgumentException("the file source reads JSON_LINES or CSV, not PARQUET");
    }
    return format;
  }

  /** How a file is recognised as already processed. */
  public enum Fingerprint {
    /** Path, size and modification time: cheap, the default. */
    SIZE_AND_MTIME,
    /** Path and SHA-256 of the content: survives touch and copies that keep content. */
    CHECKSUM
  }

  /**
   * Builds a {@link FileSourceConfig}; not thread-safe. Progress is kept by default in the
   * pipeline's store under keys starting with the source's name, {@code files:<directory name>} by
   * default.
   */
  public static final class Builder extends ProgressBuilder<Builder> {
    private final Path directory;
    private String glob = "*";
    private @Nullable LakeFormat format;
    private char separator = ',';
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
    private Fingerprint fingerprint = Fingerprint.SIZE_AND_MTIME;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The file-name glob; default {@code *}. */
    public Builder glob(String value) {
      this.glob = Objects.requireNonNull(value, "glob");
      return this;
    }

    /** JSON Lines or CSV; default from each file's extension. */
    public Builder format(LakeFormat value) {
      this.format = checkFormat(value);
      return this;
    }

    /** The CSV separator; default {@code ','}. */
    public Builder csvSeparator(char value) {
      this.separator = value;
      return this;
    }

    /** The longest line accepted (longer ones are dead-lettered); default 1 MiB. */
    public Builder maxLineBytes(int value) {
      this.maxLineBytes = Checks.positive("maxLineBytes", value);
      return this;
    }

    /** How finished files are recognised; default {@link Fingerprint#SIZE_AND_MTIME}. */
    public Builder fingerprint(Fingerprint value) {
      this.fingerprint = Objects.requireNonNull(value, "fingerprint");
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The settings. */
    public FileSourceConfig build() {
      String n = nameOr("files:" + directory.getFileName());
      return new FileSourceConfig(
          directory, glob, format, separator, maxLineBytes, fingerprint, checkpoints, keyOr(n), n);
    }
  }
}
