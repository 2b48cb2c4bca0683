package dev.collect.eventstore;

import dev.collect.core.spi.Checks;
import java.util.Objects;

/**
 * Settings of a pipeline {@link dev.collect.core.Sink} that records each envelope as an event,
 * built by {@link EventStore#sink(EventStoreSinkConfig, java.util.function.Function)}: a mapper
 * names each record's stream and builds its {@link EventData}. A batch becomes one append per
 * stream (expected version {@code any}), keeping the batch's order within each stream.
 *
 * <p>Idempotent when the mapper gives each record a stable event id (for instance {@link
 * StreamEvent#stableEventId}, derived from the source and position): a replayed record is then
 * recognised by the store and not stored twice, whatever the replay's batching. Durable when {@code
 * write} returns (the store acknowledges appends durably), so {@code flush} has nothing to do.
 * Thread-safe.
 *
 * @param store the store to append to; the caller opens and closes it
 * @param name the sink's name for metrics and dead letters; default {@value #DEFAULT_NAME}
 */
public record EventStoreSinkConfig(EventStore store, String name) {

  /** The default name. */
  public static final String DEFAULT_NAME = "event-store";

  public EventStoreSinkConfig {
    Objects.requireNonNull(store, "store");
    Checks.notBlank("name", name);
  }

  /** A builder for a sink appending to {@code store}. */
  public static Builder builder(EventStore store) {
    return new Builder(store);
  }

  /** Builds an {@link EventStoreSinkConfig}; not thread-safe. */
  public static final class Builder {
    private final EventStore store;
    private String name = DEFAULT_NAME;

    private Builder(EventStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The sink's name (default {@value #DEFAULT_NAME}). */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    public EventStoreSinkConfig build() {
      return new EventStoreSinkConfig(store, name);
    }
  }
}
