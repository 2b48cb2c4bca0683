package dev.collect.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.spi.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link Lake#sink lake sink}. Immutable; build with {@link #builder(Path)}.
 *
 * @param root the lake's root directory
 * @param name the sink's name for metrics and dead letters; default {@value #DEFAULT_NAME}
 * @param format the file format; default {@link LakeFormat#PARQUET}
 * @param compression the codec; default SNAPPY for Parquet, GZIP for text formats (SNAPPY is for
 *     Parquet only)
 * @param columns the schema (required for CSV and Parquet; for JSON Lines it selects and orders
 *     fields when given)
 * @param partitionColumn the Hive partition key (e.g. {@code event_date}), or null for none
 * @param partitioner derives the partition value, or null for none (set with the column)
 * @param maxRecordsPerFile roll after this many records; default {@value
 *     #DEFAULT_MAX_RECORDS_PER_FILE}
 * @param maxBytesPerFile roll after about this many uncompressed bytes; default 128 MiB
 * @param maxFileAge roll files older than this (checked on each write and on every flush); default
 *     15 minutes
 * @param mapper converts records that are not maps, or null for one with Java time support
 * @param writer the writer name: a run absorbs crashed runs of the same writer name only; default
 *     {@value #DEFAULT_WRITER}
 */
public record LakeSinkConfig(
    Path root,
    String name,
    LakeFormat format,
    Compression compression,
    List<Column> columns,
    @Nullable String partitionColumn,
    @Nullable Partitioner partitioner,
    long maxRecordsPerFile,
    long maxBytesPerFile,
    Duration maxFileAge,
    @Nullable ObjectMapper mapper,
    String writer) {

  /** The name of a sink that sets none. */
  public static final String DEFAULT_NAME = "data-lake";

  /** The writer name of a sink that sets none. */
  public static final String DEFAULT_WRITER = "default";

  /** Default rolling bound in records per file. */
  public static final long DEFAULT_MAX_RECORDS_PER_FILE = 1_000_000;

  /** Default rolling bound in (uncompressed, estimated) bytes per file. */
  public static final long DEFAULT_MAX_BYTES_PER_FILE = 128L * 1024 * 1024;

  /** Default rolling bound in age per file. */
  public static final Duration DEFAULT_MAX_FILE_AGE = Duration.ofMinutes(15);

  private static final Pattern WRITER = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** Checks the settings. */
  public LakeSinkConfig {
    Objects.requireNonNull(root, "root");
    Checks.notBlank("name", name);
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(compression, "compression");
    if (format != LakeFormat.PARQUET && compression == Compression.SNAPPY) {
      throw new IllegalArgumentException("SNAPPY is for Parquet only; use GZIP or ZSTD");
    }
    columns = List.copyOf(columns == null ? List.of() : columns);
    if (format != LakeFormat.JSON_LINES && columns.isEmpty()) {
      throw new IllegalArgumentException(format + " needs columns(...)");
    }
    if ((partitionColumn == null) != (partitioner == null)) {
      throw new IllegalArgumentException(
          "set both a partition column and a partitioner, or neither");
    }
    if (partitionColumn != null) {
      checkPartitionColumn(partitionColumn);
    }
    Checks.positive("maxRecordsPerFile", maxRecordsPerFile);
    Checks.positive("maxBytesPerFile", maxBytesPerFile);
    Checks.positive("maxFileAge", maxFileAge);
    Checks.matches("writer", writer, WRITER, "1 to 64 letters, digits, '-' or '_'");
  }

  private static void checkPartitionColumn(@Nullable String column) {
    if (column == null || column.isBlank() || column.contains("/") || column.contains("=")) {
      throw new IllegalArgumentException(
          "partition column must be a plain name, but was '" + column + "'");
    }
  }

  /** A builder writing under {@code root}, with the defaults. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Builds a {@link LakeSinkConfig}; mutable, not thread-safe. */
  public static final class Builder {
    private final Path root;
    private String name = DEFAULT_NAME;
    private LakeFormat format = LakeFormat.PARQUET;
    private @Nullable Compression compression;
    private List<Column> columns = List.of();
    private @Nullable String partitionColumn;
    private @Nullable Partitioner partitioner;
    private long maxRecords = DEFAULT_MAX_RECORDS_PER_FILE;
    private long maxBytes = DEFAULT_MAX_BYTES_PER_FILE;
    private Duration maxAge = DEFAULT_MAX_FILE_AGE;
    private @Nullable ObjectMapper mapper;
    private String writer = DEFAULT_WRITER;

    private Builder(Path root) {
      this.root = Objects.requireNonNull(root, "root");
    }

    /** The sink's name; default {@value #DEFAULT_NAME}. */
    public Builder name(String value) {
      this.name = Checks.notBlank("name", value);
      return this;
    }

    /** The file format; default {@link LakeFormat#PARQUET}. */
    public Builder format(LakeFormat value) {
      this.format = Objects.requireNonNull(value, "format");
      return this;
    }

    /** The codec; default SNAPPY for Parquet, GZIP for text formats. */
    public Builder compression(Compression value) {
      this.compression = Objects.requireNonNull(value, "compression");
      return this;
    }

    /** The columns; required for CSV and Parquet; default none. */
    public Builder columns(List<Column> value) {
      this.columns = List.copyOf(value);
      return this;
    }

    /** The columns; required for CSV and Parquet; default none. */
    public Builder columns(Column... value) {
      return columns(List.of(value));
    }

    /**
     * The columns of an Avro record schema, so a pipeline of Avro records needs no column list:
     * strings and enums become STRING, {@code int} INT ({@code date}: DATE), {@code long} LONG
     * ({@code timestamp-millis}/{@code -micros}: TIMESTAMP), {@code float}/{@code double} DOUBLE,
     * {@code boolean} BOOLEAN; {@code ["null", X]} is nullable, anything else required; a nested
     * record's fields become {@code parent_child} columns. Records may then be Avro records
     * (generic or generated), matched to columns by field name, so records of an older or newer
     * version of the schema are written too, a missing required field rejecting its record.
     *
     * @throws IllegalArgumentException for a type without a column type (bytes, fixed, arrays,
     *     maps, other unions)
     */
    public Builder avroSchema(org.apache.avro.Schema schema) {
      return columns(dev.collect.batch.internal.lake.AvroRows.columns(schema));
    }

    /** Partitions by {@code partitioner} into {@code column=value/} directories; default none. */
    public Builder partitionBy(String column, Partitioner value) {
      checkPartitionColumn(column);
      this.partitionColumn = column;
      this.partitioner = Objects.requireNonNull(value, "partitioner");
      return this;
    }

    /**
     * Rolls a file after {@code records} records or about {@code bytes} uncompressed bytes or when
     * it is older than {@code age}; defaults 1,000,000 records, 128 MiB, 15 minutes. Every flush
     * (each pipeline commit) also closes and publishes the open files.
     */
    public Builder rolling(long records, long bytes, Duration age) {
      this.maxRecords = Checks.positive("rolling records", records);
      this.maxBytes = Checks.positive("rolling bytes", bytes);
      this.maxAge = Checks.positive("rolling age", age);
      return this;
    }

    /** The Jackson mapper converting non-map records; default one with Java time support. */
    public Builder mapper(ObjectMapper value) {
      this.mapper = Objects.requireNonNull(value, "mapper");
      return this;
    }

    /**
     * The writer's name, for several writers of one root: a run absorbs (de-duplicates the replay
     * of) crashed runs of the same writer name only, so a writer restarted under its name resumes
     * its own crashed run; default {@value #DEFAULT_WRITER}. Letters, digits, {@code -} and {@code
     * _}, at most 64.
     */
    public Builder writer(String value) {
      this.writer = Checks.matches("writer", value, WRITER, "1 to 64 letters, digits, '-' or '_'");
      return this;
    }

    /** The settings. */
    public LakeSinkConfig build() {
      Compression codec =
          compression != null
              ? compression
              : format == LakeFormat.PARQUET ? Compression.SNAPPY : Compression.GZIP;
      return new LakeSinkConfig(
          root,
          name,
          format,
          codec,
          columns,
          partitionColumn,
          partitioner,
          maxRecords,
          maxBytes,
          maxAge,
          mapper,
          writer);
    }
  }
}
