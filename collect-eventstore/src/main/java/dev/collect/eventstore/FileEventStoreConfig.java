package dev.collect.eventstore;

import dev.collect.core.spi.Checks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * @param repair when the log is damaged (a record fails its checksum or framing check before the
 *     end, a segment is shorter than its committed size, a segment or header is missing), whether
 *     to cut the log before the damage and open, instead of failing with {@link
 *     CorruptLogException} (default false). What it cut is in {@link
 *     FileEventStore#recoveryReport()}; the cut bytes are kept beside the log in files named {@code
 *     <segment>.cut-at-<offset>}.
 * @param meterRegistry where the store's meters go (default a new {@code SimpleMeterRegistry})
 */
public record FileEventStoreConfig(
    Path directory,
    Durability durability,
    long segmentBytes,
    int maxEventBytes,
    int maxGroupCommitBytes,
    Clock clock,
    boolean repair,
    MeterRegistry meterRegistry) {

  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_GROUP_COMMIT_BYTES = 4 * 1024 * 1024;

  public FileEventStoreConfig {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    Checks.atLeast("segmentBytes", segmentBytes, 4096);
    Checks.positive("maxEventBytes", maxEventBytes);
    Checks.positive("maxGroupCommitBytes", maxGroupCommitBytes);
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
    private boolean repair;
    private MeterRegistry meterRegistry;

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

    /**
     * Whether an open cuts the log before damage and accepts the loss instead of failing with
     * {@link CorruptLogException} (default false). Use it once, on purpose, after reading the
     * exception; a torn tail is cut either way.
     */
    public Builder repair(boolean value) {
      this.repair = value;
      return this;
    }

    /** Where the store's meters go (default a new {@code SimpleMeterRegistry}). */
    public Builder meterRegistry(MeterRegistry value) {
      this.meterRegistry = value;
      return this;
    }

    public FileEventStoreConfig build() {
      return new FileEventStoreConfig(
          directory,
          durability,
          segmentBytes,
          maxEventBytes,
          maxGroupCommitBytes,
          clock,
          repair,
          meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry);
    }
  }
}
