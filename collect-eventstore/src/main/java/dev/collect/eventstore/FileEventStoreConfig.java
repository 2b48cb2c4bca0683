package dev.collect.eventstore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Settings of the embedded file backend. Immutable; build with {@link #builder(Path)}.
 *
 * @param directory where the segments live (created if absent); one process at a time (a lock file
 *     enforces it)
 * @param durability when an append is acknowledged (default {@link Durability#FSYNC})
 * @param segmentBytes size after which a new segment starts (default 64 MiB)
 * @param maxEventBytes largest payload accepted (default 4 MiB)
 * @param maxGroupCommitBytes most bytes one group commit writes before its fsync (default 4 MiB);
 *     one append may hold at most this plus {@code maxEventBytes}
 * @param clock the clock of {@code recordedAt} (default UTC system clock)
 */
public record FileEventStoreConfig(
    Path directory,
    Durability durability,
    long segmentBytes,
    int maxEventBytes,
    int maxGroupCommitBytes,
    Clock clock) {

  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_GROUP_COMMIT_BYTES = 4 * 1024 * 1024;

  public FileEventStoreConfig {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(clock, "clock");
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException("segmentBytes must be >= 4096, but was " + segmentBytes);
    }
    if (maxEventBytes <= 0) {
      throw new IllegalArgumentException("maxEventBytes must be > 0, but was " + maxEventBytes);
    }
    if (maxGroupCommitBytes <= 0) {
      throw new IllegalArgumentException(
          "maxGroupCommitBytes must be > 0, but was " + maxGroupCommitBytes);
    }
  }

  /** Defaults for {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** Builds a {@link FileEventStoreConfig}; not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private Durability durability = Durability.FSYNC;
    private long segmentBytes = DEFAULT_SEGMENT_BYTES;
    private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
    private int maxGroupCommitBytes = DEFAULT_MAX_GROUP_COMMIT_BYTES;
    private Clock clock = Clock.systemUTC();

    private Builder(Path directory) {
      this.directory = directory;
    }

    /** When appends are acknowledged (default {@link Durability#FSYNC}). */
    public Builder durability(Durability value) {
      this.durability = value;
      return this;
    }

    /** Segment size (default 64 MiB, at least 4096). */
    public Builder segmentBytes(long value) {
      this.segmentBytes = value;
      return this;
    }

    /** Largest payload (default 4 MiB). */
    public Builder maxEventBytes(int value) {
      this.maxEventBytes = value;
      return this;
    }

    /** Most bytes per group commit (default 4 MiB). */
    public Builder maxGroupCommitBytes(int value) {
      this.maxGroupCommitBytes = value;
      return this;
    }

    /** The clock of {@code recordedAt} (default UTC system clock). */
    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public FileEventStoreConfig build() {
      return new FileEventStoreConfig(
          directory, durability, segmentBytes, maxEventBytes, maxGroupCommitBytes, clock);
    }
  }
}
