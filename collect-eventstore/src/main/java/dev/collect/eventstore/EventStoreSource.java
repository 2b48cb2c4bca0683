package dev.collect.eventstore;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import dev.collect.core.spi.Checks;
import dev.collect.eventstore.internal.SubscriptionRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pipeline {@link Source} over the global log of an {@link EventStore}: replays a time range or
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
 * share a checkpoint store need different names. Used from one thread.
 */
public final class EventStoreSource implements Source<RecordedEvent> {

  /** Prefix of the checkpoint key in the pipeline's store; the source's name follows it. */
  public static final String DEFAULT_KEY_PREFIX = "eventstore:";

  /** The longest a poll that found nothing waits for an append before it returns. */
  private static final Duration POLL_WAIT = Duration.ofMillis(50);

  private final String name;
  private final EventStore store;
  private final long fromPosition;
  private final Instant from;
  private final Instant to;
  private final boolean follow;
  private CheckpointStore checkpoints;
  private String checkpointKey;
  private long next;
  private long end;
  private boolean finished;

  private EventStoreSource(Builder b) {
    this.name = b.name;
    this.store = b.store;
    this.fromPosition = b.fromPosition;
    this.from = b.from;
    this.to = b.to;
    this.follow = b.follow;
    this.checkpoints = b.checkpoints;
    this.checkpointKey = b.checkpointKey;
  }

  /** Replays the whole log, bounded by the head at open. */
  public static Builder builder(EventStore store) {
    return new Builder(store);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open(PipelineContext context) {
    if (checkpoints == null) {
      checkpoints = context.checkpoints();
      checkpointKey = DEFAULT_KEY_PREFIX + name;
    }
    next = fromPosition;
    if (from != null) {
      next = Math.max(next, store.positionAt(from));
    }
    next = Math.max(next, checkpoints.load(checkpointKey).map(Long::parseLong).orElse(0L));
    end = follow ? Long.MAX_VALUE : store.headPosition();
  }

  @Override
  public List<Envelope<RecordedEvent>> poll(int maxRecords, Duration timeout)
      throws InterruptedException {
    if (finished) {
      return List.of();
    }
    int want = (int) Math.min(maxRecords, end - next);
    List<RecordedEvent> events = want <= 0 ? List.of() : store.readAll(next, want);
    List<Envelope<RecordedEvent>> out = new ArrayList<>(events.size());
    for (RecordedEvent e : events) {
      // positions can have gaps (PostgreSQL), so a page of `want` events can reach past the end
      if (e.position() >= end || (to != null && !e.recordedAt().isBefore(to))) {
        finished = true;
        break;
      }
      out.add(envelope(e));
      next = e.position() + 1;
    }
    if (!follow && next >= end) {
      finished = true;
    }
    if (out.isEmpty() && !finished) {
      // the store's own wait: woken by an append where the store notifies, else a short sleep
      SubscriptionRunner.awaitAppend(
          store, next, POLL_WAIT.compareTo(timeout) < 0 ? POLL_WAIT : timeout);
    }
    return out;
  }

  private Envelope<RecordedEvent> envelope(RecordedEvent e) {
    Map<String, String> headers = new java.util.HashMap<>();
    headers.put("eventId", e.eventId());
    headers.put("eventType", e.type());
    headers.put("schemaVersion", Integer.toString(e.schemaVersion()));
    headers.put("streamId", e.streamId());
    headers.put("streamVersion", Long.toString(e.streamVersion()));
    headers.put("recordedAt", e.recordedAt().toString());
    if (e.correlationId() != null) {
      headers.put("correlationId", e.correlationId());
    }
    if (e.causationId() != null) {
      headers.put("causationId", e.causationId());
    }
    return Envelope.builder(e)
        .key(e.streamId())
        .eventTime(e.occurredAt())
        .headers(headers)
        .source(name)
        .position(new EventPosition(e.position()))
        .raw(e.data())
        .build();
  }

  @Override
  public boolean isFinished() {
    return finished;
  }

  @Override
  public void commit(Position position) {
    if (position instanceof EventPosition p) {
      checkpoints.save(checkpointKey, Long.toString(p.position() + 1));
    }
  }

  /** Does nothing: the store belongs to the caller, who closes it. */
  @Override
  public void close() {}

  /** Builds an {@link EventStoreSource}; not thread-safe. */
  public static final class Builder {
    private final EventStore store;
    private String name = "event-store";
    private long fromPosition;
    private Instant from;
    private Instant to;
    private boolean follow;
    private CheckpointStore checkpoints;
    private String checkpointKey;

    private Builder(EventStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The source's name (default {@code event-store}). */
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

    public EventStoreSource build() {
      return new EventStoreSource(this);
    }
  }
}
