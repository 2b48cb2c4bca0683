package dev.collect.eventstore;

import dev.collect.core.Position;
import java.util.Map;

/** A global log position, as the {@link Position} of envelopes from {@link EventStore#source}. */
public record EventPosition(long position) implements Position {
  @Override
  public Map<String, Object> describe() {
    return Map.of("eventPosition", position);
  }
}
