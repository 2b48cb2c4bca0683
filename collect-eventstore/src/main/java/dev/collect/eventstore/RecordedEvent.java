package dev.collect.eventstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An event as stored: the appended {@link EventData} fields plus its stream, its version in the
 * stream (0-based, gap-free), its global position (0-based, gap-free, the order of the global log)
 * and when the store recorded it. {@code recordedAt} never decreases along the global log, which is
 * what makes reads by time range exact.
 *
 * <p>{@code erased} is true when the stream's key was destroyed: {@code data} is then empty and the
 * metadata is all that is left. Immutable; do not modify {@code data}.
 */
public record RecordedEvent(
    String streamId,
    long streamVersion,
    long position,
    String eventId,
    String type,
    int schemaVersion,
    byte[] data,
    Instant occurredAt,
    Instant recordedAt,
    String correlationId,
    String causationId,
    boolean erased) {

  /** Loaded on first use only: appending and reading raw bytes need no Jackson. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
  }

  /** The payload read as JSON into {@code type}. */
  public <T> T dataAs(Class<T> type) {
    if (erased) {
      throw new EventStoreException(
          "event " + eventId + " of stream '" + streamId + "' was erased: no payload");
    }
    try {
      return Json.MAPPER.readValue(data, type);
    } catch (IOException e) {
      throw new EventStoreException(
          "event " + eventId + " (" + this.type + " v" + schemaVersion + ") is not a " + type, e);
    }
  }

  /** The same event with another type, schema version and payload: what upcasters return. */
  public RecordedEvent withData(String newType, int newSchemaVersion, byte[] newData) {
    return new RecordedEvent(
        streamId,
        streamVersion,
        position,
        eventId,
        newType,
        newSchemaVersion,
        newData,
        occurredAt,
        recordedAt,
        correlationId,
        causationId,
        erased);
  }

  /** The same event with its payload removed and {@code erased} set. */
  public RecordedEvent asErased() {
    return new RecordedEvent(
        streamId,
        streamVersion,
        position,
        eventId,
        type,
        schemaVersion,
        new byte[0],
        occurredAt,
        recordedAt,
        correlationId,
        causationId,
        true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordedEvent e
        && streamId.equals(e.streamId)
        && streamVersion == e.streamVersion
        && position == e.position
        && eventId.equals(e.eventId)
        && type.equals(e.type)
        && schemaVersion == e.schemaVersion
        && Arrays.equals(data, e.data)
        && occurredAt.equals(e.occurredAt)
        && recordedAt.equals(e.recordedAt)
        && Objects.equals(correlationId, e.correlationId)
        && Objects.equals(causationId, e.causationId)
        && erased == e.erased;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(position) * 31 + eventId.hashCode();
  }

  @Override
  public String toString() {
    // Never prints the payload: it may hold personal data.
    return "RecordedEvent{stream="
        + streamId
        + ", version="
        + streamVersion
        + ", position="
        + position
        + ", id="
        + eventId
        + ", type="
        + type
        + (erased ? ", erased" : "")
        + "}";
  }
}
