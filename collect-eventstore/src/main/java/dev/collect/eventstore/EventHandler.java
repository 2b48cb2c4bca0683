package dev.collect.eventstore;

/**
 * Receives the events of a {@link Subscription}, one at a time, in global order, on the
 * subscription's thread. See {@link TypedEventHandler} for one handler per event type.
 */
@FunctionalInterface
public interface EventHandler {
  /** Handles one event; throwing stops the subscription before this event. */
  void handle(RecordedEvent event) throws Exception;
}
