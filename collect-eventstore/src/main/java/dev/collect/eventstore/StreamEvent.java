package dev.collect.eventstore;

import dev.collect.core.Envelope;
import dev.collect.eventstore.internal.RandomIds;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Where one record goes when an event-store sink writes it: the stream and the event to append. An
 * event-store sink's mapper returns one per record.
 *
 * @param streamId the stream (entity) the event belongs to
 * @param event the event
 */
public record StreamEvent(String streamId, EventData event) {
  public StreamEvent {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(event, "event");
  }

  /**
   * A name-based UUID of the envelope's source and position: the same record read again after a
   * restart gets the same id, so a sink's replay stores nothing twice. Random when the envelope has
   * no position.
   */
  public static String stableEventId(Envelope<?> envelope) {
    if (envelope.position() == null) {
      return RandomIds.uuid();
    }
    String key = envelope.source() + "|" + new TreeMap<>(envelope.position().describe());
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
