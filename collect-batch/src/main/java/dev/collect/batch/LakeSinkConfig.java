package dev.collect.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.Sink;
import dev.collect.core.spi.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a connector built by {@link Lake#sink(LakeSinkConfig)}. Writes records into a
 * directory tree with Hive-style partitions ({@code
 * root/event_date=2026-11-24/part-<run>-00001.parquet}) as JSON Lines, CSV or Parquet.
 *
 * <p>Guarantees: a file appears atomically (written under a hidden temporary name, fsynced, renamed
 * into place), so readers never see half a file; every {@link Sink#flush()} publishes the open
 * files, so a committed source position is always backed by published files. With the pipeline's
 * source wrapped in {@link LakeWriter#committing(dev.collect.core.Source)}, the sink is idempotent
 * across a crash: each published file is accompanied by the fingerprints of its records' source
 * positions, the sink learns which positions were committed, and a restarted sink skips replayed
 * records it already published; so a run killed at any point and restarted leaves every record in
 * the lake exactly once (given deterministic source positions, as the file, JDBC and HTTP sources
 * of this module have). Without the wrapper, a crash between a flush and the source's commit
 * replays that tail into new files (at-least-once). A completed run writes a manifest to {@code
 * root/_collect/runs/<run>/manifest.json}; stale temporary files of a crashed run are deleted when
 * the next run opens.
 *
 * <p>Several sinks, in one process or several, may write one root at once: each run creates its own
 * run directory (so file names, which carry the run's id, and manifests never collide) and holds an
 * OS file lock on it while open, so another sink never deletes a live run's temporary files or
 * absorbs its published records; a crashed run's records are absorbed only by a later run with the
 * same {@link Builder#writer(String) writer} name. Give each concurrent writer of a root its own
 * writer name and its own source slice. The locks need a local file system (not NFS).
 *
 * <p>Records may be {@code Map}s, Avro records (see {@link Builder#avroSchema}) or any type Jackson
 * converts to a map. Not thread-safe (the runtime serialises calls); one sink per writer name and
 * root at a time.
 *
 * @param root the lake's root directory
 * @param name the sink's name for metrics and dead letters
 * @param format the file format
 * @param compression the codec
 * @param columns the schema (required for CSV and Parquet; for JSON Lines it selects and orders
 *     fields when given)
 * @param partitionColumn the Hive partition key (e.g. {@code event_date}), or null for none
 * @param partitioner derives the partition value, or null for none
 * @param maxRecordsPerFile roll after this many records
 * @param maxBytesPerFile roll after about this many uncompressed bytes
 * @param maxFileAge roll files older than this (checked on each write and on every flush)
 * @param mapper converts records that are not maps, or null for a default one with Java time
 *     support
 * @param writer the writer name: a run absorbs crashed runs of the same writer name only
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

  /** The writer name of a sink that sets none. */
  public static final String DEFAULT_WRITER = "default";

  private static final Pattern WRITER = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** Default rolling bound in records per file. */
  public static final long DEFAULT_MAX_RECORDS_PER_FILE = 1_000_000;

  /** Default rolling bound in (uncompressed, estimated) bytes per file. */
  public static final long DEFAULT_MAX_BYTES_PER_FILE = 128L * 1024 * 1024;

  /** Default rolling bound in age per file. */
  public static final Duration DEFAULT_MAX_FILE_AGE = Duration.ofMinutes(15);

  /** Starts a lake sink writing under {@code root}. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  public LakeSinkConfig {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(maxFileAge, "maxFileAge");
    Objects.requireNonNull(writer, "writer");
    Checks.notBlank("name", name);
    columns = List.copyOf(columns);
    Checks.positive("maxRecordsPerFile", maxRecordsPerFile);
    Checks.positive("maxBytesPerFile", maxBytesPerFile);
    Checks.positive("maxFileAge", maxFileAge);
    Checks.matches("writer", writer, WRITER, "1 to 64 letters, digits, '-' or '_'");
    if (compression == Compression.SNAPPY && format != LakeFormat.PARQUET) {
      throw new IllegalArgumentException("SNAPPY is for Parquet only; use GZIP or ZSTD");
    }
    if (format != LakeFormat.JSON_LINES && columns.isEmpty()) {
      throw new IllegalArgumentException(format + " needs columns(...)");
    }
  }

  /** Derives a Hive partition value (e.g. a date) from a record as a map. */
  @FunctionalInterface
  public interface Partitioner {
    /** The partition value, or null for {@code __HIVE_DEFAULT_PARTITION__}. */
    @Nullable String partitionOf(Map<String, Object> record);

    /**
     * The UTC date ({@code yyyy-MM-dd}) of a timestamp, date or ISO string field: the usual {@code
     * event_date} partition.
     */
    static Partitioner dateOf(String field) {
      return record -> dev.collect.batch.internal.lake.Values.dateText(record.get(field));
    }

    /** The field's value as text. */
    static Partitioner valueOf(String field) {
      return record -> {
        Object value = record.get(field);
        return value == null ? null : value.toString();
      };
    }
  }

  /** Builds a lake sink; not thread-safe. */
  public static final class Builder {
    private final Path root;
    private String name = "data-lake";
    private LakeFormat format = LakeFormat.PARQUET;
    private Compression compression;
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

    /** The sink's name; default {@code data-lake}. */
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

    /** The columns; required for CSV and Parquet. */
    public Builder columns(List<Column> value) {
      this.columns = List.copyOf(value);
      return this;
    }

    /** The columns; required for CSV and Parquet. */
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
      if (column == null || column.isBlank() || column.contains("/") || column.contains("=")) {
        throw new IllegalArgumentException(
            "partition column must be a plain name, but was '" + column + "'");
      }
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
      if (format != LakeFormat.PARQUET && codec == Compression.SNAPPY) {
        throw new IllegalArgumentException("SNAPPY is for Parquet only; use GZIP or ZSTD");
      }
      if (format != LakeFormat.JSON_LINES && columns.isEmpty()) {
        throw new IllegalArgumentException(format + " needs columns(...)");
      }
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
