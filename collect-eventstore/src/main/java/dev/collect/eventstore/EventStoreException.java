package dev.collect.eventstore;

import dev.collect.core.CollectException;

/** The root of the event store's failures. */
public class EventStoreException extends CollectException {
  private static final long serialVersionUID = 1L;

  public EventStoreException(String message) {
    super(message);
  }

  public EventStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
