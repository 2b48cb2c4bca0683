package dev.collect.eventstore;

import java.util.HashMap;
import java.util.Map;

/**
 * An {@link EventHandler} that dispatches on the event type and hands each handler its payload read
 * as a Java type (Jackson). Types without a handler go to {@code otherwise} (by default they are
 * skipped: a subscriber only cares about some types); erased events go to {@code onErased} (by
 * default skipped: their payload is gone). Immutable once built, thread-safe if the handlers are.
 *
 * <pre>{@code
 * EventHandler handler = TypedEventHandler.builder()
 *     .on("OrderPlaced", OrderPlaced.class, (order, event) -> totals.add(order.total()))
 *     .build();
 * }</pre>
 */
public final class TypedEventHandler implements EventHandler {

  /** Handles a payload of type {@code T} and the event it came in. */
  @FunctionalInterface
  public interface Handler<T> {
    void handle(T payload, RecordedEvent event) throws Exception;
  }

  private record Route<T>(Class<T> type, Handler<T> handler) {
    void handle(RecordedEvent event) throws Exception {
      handler.handle(event.dataAs(type), event);
    }
  }

  private final Map<String, Route<?>> routes;
  private final EventHandler otherwise;
  private final EventHandler onErased;

  private TypedEventHandler(Builder b) {
    this.routes = Map.copyOf(b.routes);
    this.otherwise = b.otherwise;
    this.onErased = b.onErased;
  }

  /** Starts a handler with no routes. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void handle(RecordedEvent event) throws Exception {
    if (event.erased()) {
      onErased.handle(event);
      return;
    }
    Route<?> route = routes.get(event.type());
    if (route == null) {
      otherwise.handle(event);
    } else {
      route.handle(event);
    }
  }

  /** Builds a {@link TypedEventHandler}; not thread-safe. */
  public static final class Builder {
    private final Map<String, Route<?>> routes = new HashMap<>();
    private EventHandler otherwise = e -> {};
    private EventHandler onErased = e -> {};

    /** Routes events of {@code eventType} to {@code handler} with the payload as {@code type}. */
    public <T> Builder on(String eventType, Class<T> type, Handler<T> handler) {
      if (routes.putIfAbsent(eventType, new Route<>(type, handler)) != null) {
        throw new IllegalArgumentException("a handler for " + eventType + " is already set");
      }
      return this;
    }

    /** Handles events of types without a route (default: skip them). */
    public Builder otherwise(EventHandler handler) {
      this.otherwise = java.util.Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Handles erased events (default: skip them). */
    public Builder onErased(EventHandler handler) {
      this.onErased = java.util.Objects.requireNonNull(handler, "handler");
      return this;
    }

    public TypedEventHandler build() {
      return new TypedEventHandler(this);
    }
  }
}
