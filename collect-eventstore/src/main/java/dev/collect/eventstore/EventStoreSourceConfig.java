package dev.collect.eventstore;

import dev.collect.core.CheckpointStore;
import dev.collect.core.spi.Checks;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a pipeline {@link dev.collect.core.Source} over the global log of an {@link
 * EventStore}, built by {@link EventStore#source(EventStoreSourceConfig)}: replays a time range or
 * the log from a position into any pipeline (backfills, reprocessing), or follows it live.
 *
 * <p>Envelopes carry the {@link RecordedEvent} as value, the stream id as key (so a pipeline keeps
 * each entity's order also with several workers), {@code occurredAt} as event time, the event's
 * metadata as headers and an {@link EventPosition}. Events come in global order, each exactly once
 * per run. Bounded by default: it ends at the end of the time range or at the head the log had when
 * the source opened; {@link Builder#follow()} makes it unbounded.
 *
 * <p>Resuming: it keeps the position after the last committed event in the pipeline's checkpoint
 * store ({@link dev.collect.core.PipelineBuilder#checkpoints}) under {@code eventstore:} followed
 * by the source's {@linkplain Builder#name name}, and resumes from there on the next run; {@link
 * Builder#checkpoints} gives it a store and key of its own instead. Two event-store sources that
 * share a checkpoint store need different names. The source is used from the pipeline's reader
 * thread only.
 *
 * @param store the store to read; the caller opens and closes it
 * @param name the source's name for metrics, dead letters and its checkpoint key; default {@value
 *     #DEFAULT_NAME}
 * @param fromPosition the global position to start at; default 0
 * @param from the start of the time range (inclusive), or null for all
 * @param to the end of the time range (exclusive), or null for all
 * @param follow whether the source never finishes and delivers new events as they are appended
 * @param checkpoints a checkpoint store of its own, or null for the pipeline's
 * @param checkpointKey the key in {@code checkpoints}, or null with the pipeline's store
 */
public record EventStoreSourceConfig(
    EventStore store,
    String name,
    long fromPosition,
    @Nullable Instant from,
    @Nullable Instant to,
    boolean follow,
    @Nullable CheckpointStore checkpoints,
    @Nullable String checkpointKey) {

  /** Prefix of the checkpoint key in the pipeline's store; the source's name follows it. */
  public static final String DEFAULT_KEY_PREFIX = "eventstore:";

  /** The default name. */
  public static final String DEFAULT_NAME = "event-store";

  public EventStoreSourceConfig {
    Objects.requireNonNull(store, "store");
    Checks.notBlank("name", name);
    Checks.notNegative("fromPosition", fromPosition);
    if ((from == null) != (to == null)) {
      throw new IllegalArgumentException(
          "set both ends of the time range or neither, but got [" + from + ", " + to + ")");
    }
    if (from != null && !from.isBefore(to)) {
      throw new IllegalArgumentException(
          "time range must not be empty, but was [" + from + ", " + to + ")");
    }
    if ((checkpoints == null) != (checkpointKey == null)) {
      throw new IllegalArgumentException(
          "set both a checkpoint store and its key, or neither (the pipeline's store)");
    }
  }

  /** A builder replaying the whole log of {@code store}, bounded by the head at open. */
  public static Builder builder(EventStore store) {
    return new Builder(store);
  }

  /** Builds an {@link EventStoreSourceConfig}; not thread-safe. */
  public static final class Builder {
    private final EventStore store;
    private String name = DEFAULT_NAME;
    private long fromPosition;
    private Instant from;
    private Instant to;
    private boolean follow;
    private CheckpointStore checkpoints;
    private String checkpointKey;

    private Builder(EventStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The source's name (default {@value #DEFAULT_NAME}). */
    public Builder name(String value) {
      this.name = Objects.requireNonNull(value, "name");
      return this;
    }

    /** Starts at this global position (default 0). */
    public Builder fromPosition(long value) {
      Checks.notNegative("fromPosition", value);
      this.fromPosition = value;
      return this;
    }

    /** Only events recorded in {@code [fromInclusive, toExclusive)} (default: all). */
    public Builder timeRange(Instant fromInclusive, Instant toExclusive) {
      if (!fromInclusive.isBefore(toExclusive)) {
        throw new IllegalArgumentException(
            "time range must not be empty, but was [" + fromInclusive + ", " + toExclusive + ")");
      }
      this.from = fromInclusive;
      this.to = toExclusive;
      return this;
    }

    /** Never finishes: after the catch-up, delivers new events as they are appended. */
    public Builder follow() {
      this.follow = true;
      return this;
    }

    /**
     * Keeps the position in {@code store} under {@code key} instead of the pipeline's checkpoint
     * store (default: the pipeline's store, key {@code eventstore:<name>}).
     */
    public Builder checkpoints(CheckpointStore store, String key) {
      this.checkpoints = Objects.requireNonNull(store, "store");
      this.checkpointKey = Objects.requireNonNull(key, "key");
      return this;
    }

    public EventStoreSourceConfig build() {
      return new EventStoreSourceConfig(
          store, name, fromPosition, from, to, follow, checkpoints, checkpointKey);
    }
  }
}
