package dev.collect.eventstore.internal;

import dev.collect.core.CheckpointStore;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Position;
import dev.collect.core.Source;
import dev.collect.eventstore.EventPosition;
import dev.collect.eventstore.EventStore;
import dev.collect.eventstore.EventStoreSourceConfig;
import dev.collect.eventstore.RecordedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The event-store source behind {@link EventStore#source}; see {@link EventStoreSourceConfig}. */
public final class EventStoreSourceImpl implements Source<RecordedEvent> {

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

  public EventStoreSourceImpl(EventStoreSourceConfig config) {
    this.name = config.name();
    this.store = config.store();
    this.fromPosition = config.fromPosition();
    this.from = config.from();
    this.to = config.to();
    this.follow = config.follow();
    this.checkpoints = config.checkpoints();
    this.checkpointKey = config.checkpointKey();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open(PipelineContext context) {
    if (checkpoints == null) {
      checkpoints = context.checkpoints();
      checkpointKey = EventStoreSourceConfig.DEFAULT_KEY_PREFIX + name;
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
}
