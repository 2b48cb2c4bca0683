package dev.collect.eventstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.spi.Checks;
import dev.collect.eventstore.internal.RandomIds;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An event to append: its id (the idempotency key: a retried append with the same ids is accepted
 * once), type, schema version, payload bytes (usually JSON), when it occurred, and correlation and
 * causation ids. Immutable; the payload array is kept, not copied.
 *
 * @param eventId unique id, the idempotency key
 * @param type the event type, e.g. {@code OrderPlaced}
 * @param schemaVersion the payload's schema version (>= 1), what upcasters key on
 * @param data the payload
 * @param occurredAt when the event happened in the domain (defaults to now)
 * @param correlationId the request or workflow it belongs to, or null
 * @param causationId the id of the event or command that caused it, or null
 */
public record EventData(
    String eventId,
    String type,
    int schemaVersion,
    byte[] data,
    Instant occurredAt,
    @Nullable String correlationId,
    @Nullable String causationId) {

  /** Loaded on first use only: appending and reading raw bytes need no Jackson. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
  }

  public EventData {
    Checks.notEmpty("eventId", eventId);
    Checks.notEmpty("type", type);
    Checks.atLeast("schemaVersion", schemaVersion, 1);
    Objects.requireNonNull(data, "data");
    occurredAt = occurredAt == null ? Instant.now() : occurredAt;
  }

  /** An event with a random id, schema version 1, occurring now. */
  public static EventData of(String type, byte[] data) {
    return builder(type, data).build();
  }

  /** An event whose payload is {@code value} as JSON (Jackson, java.time supported). */
  public static EventData json(String type, Object value) {
    return builder(type, toJson(value)).build();
  }

  /** Starts an event with a random id and schema version 1. */
  public static Builder builder(String type, byte[] data) {
    return new Builder(type, data);
  }

  /** {@code value} as JSON bytes. */
  public static byte[] toJson(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventData e
        && eventId.equals(e.eventId)
        && type.equals(e.type)
        && schemaVersion == e.schemaVersion
        && java.util.Arrays.equals(data, e.data)
        && occurredAt.equals(e.occurredAt)
        && Objects.equals(correlationId, e.correlationId)
        && Objects.equals(causationId, e.causationId);
  }

  @Override
  public int hashCode() {
    return eventId.hashCode();
  }

  @Override
  public String toString() {
    // Never prints the payload: it may hold personal data.
    return "EventData{id=" + eventId + ", type=" + type + ", v" + schemaVersion + "}";
  }

  /** Builds an {@link EventData}; not thread-safe. */
  public static final class Builder {
    private final String type;
    private final byte[] data;
    private String eventId;
    private int schemaVersion = 1;
    private Instant occurredAt;
    private @Nullable String correlationId;
    private @Nullable String causationId;

    private Builder(String type, byte[] data) {
      this.type = type;
      this.data = data;
    }

    /** The id (default: a random UUID). Give a stable id to make retries idempotent. */
    public Builder eventId(String value) {
      this.eventId = value;
      return this;
    }

    /** The schema version (default 1). */
    public Builder schemaVersion(int value) {
      this.schemaVersion = value;
      return this;
    }

    /** When it happened (default: when built). */
    public Builder occurredAt(Instant value) {
      this.occurredAt = value;
      return this;
    }

    /** The correlation id (default none). */
    public Builder correlationId(String value) {
      this.correlationId = value;
      return this;
    }

    /** The causation id (default none). */
    public Builder causationId(String value) {
      this.causationId = value;
      return this;
    }

    public EventData build() {
      return new EventData(
          eventId == null ? RandomIds.uuid() : eventId,
          type,
          schemaVersion,
          data,
          occurredAt,
          correlationId,
          causationId);
    }
  }
}
