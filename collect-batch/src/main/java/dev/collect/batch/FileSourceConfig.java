package dev.collect.batch;

import dev.collect.core.CheckpointStore;
import dev.collect.core.spi.Checks;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link LocalFiles#source local-files source}. Immutable; build with {@link
 * #builder(Path)}. Progress is kept by default in the pipeline's store under keys starting with the
 * source's name, {@code files:<directory name>} by default.
 *
 * @param directory the directory (not recursive)
 * @param glob the file-name pattern ({@code *.csv.gz}); default {@value #DEFAULT_GLOB}
 * @param format the format, or null to take it from the extension ({@code .csv}, else JSON Lines);
 *     JSON Lines or CSV, not Parquet
 * @param csvSeparator the CSV column separator; default {@code ','}
 * @param maxLineBytes the longest line accepted (longer ones are dead-lettered); default 1 MiB
 * @param fingerprint how finished files are recognised; default {@link Fingerprint#SIZE_AND_MTIME}
 * @param checkpoints the store, or null for the pipeline's
 * @param checkpointKey the key prefix in the store
 * @param name the source's name, for metrics, logs and dead letters
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

  /** Default file-name glob: every file. */
  public static final String DEFAULT_GLOB = "*";

  /** Default CSV separator. */
  public static final char DEFAULT_CSV_SEPARATOR = ',';

  /** How a file is recognised as already processed. */
  public enum Fingerprint {
    /** Path, size and modification time: cheap, the default. */
    SIZE_AND_MTIME,
    /** Path and SHA-256 of the content: survives touch and copies that keep content. */
    CHECKSUM
  }

  /** Checks the settings. */
  public FileSourceConfig {
    Objects.requireNonNull(directory, "directory");
    Checks.notBlank("glob", glob);
    if (format == LakeFormat.PARQUET) {
      throw new IllegalArgumentException(
          "the file source reads JSON_LINES or CSV, not PARQUET; set one of those or none");
    }
    Checks.positive("maxLineBytes", maxLineBytes);
    Objects.requireNonNull(fingerprint, "fingerprint");
    Checks.notBlank("checkpointKey", checkpointKey);
    Checks.notBlank("name", name);
  }

  /** A builder reading {@code directory}, with the defaults. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /**
   * Builds a {@link FileSourceConfig}; mutable, not thread-safe. Progress is kept by default in the
   * pipeline's store under keys starting with the source's name, {@code files:<directory name>} by
   * default.
   */
  public static final class Builder extends ProgressBuilder<Builder> {
    private final Path directory;
    private String glob = DEFAULT_GLOB;
    private @Nullable LakeFormat format;
    private char separator = DEFAULT_CSV_SEPARATOR;
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
    private Fingerprint fingerprint = Fingerprint.SIZE_AND_MTIME;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The file-name glob; default {@value #DEFAULT_GLOB}. */
    public Builder glob(String value) {
      this.glob = Objects.requireNonNull(value, "glob");
      return this;
    }

    /** JSON Lines or CSV; default from each file's extension. */
    public Builder format(LakeFormat value) {
      if (value == LakeFormat.PARQUET) {
        throw new IllegalArgumentException("the file source reads JSON_LINES or CSV, not PARQUET");
      }
      this.format = value;
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
