package dev.collect.eventstore;

/** An append to a stream whose key was destroyed by {@link EventStore#erase(String)}. */
public class StreamErasedException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  public StreamErasedException(String streamId) {
    super("stream '" + streamId + "' was erased (its key is destroyed): it takes no new events");
  }
}
