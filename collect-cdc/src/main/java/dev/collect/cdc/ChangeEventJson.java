package dev.collect.cdc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON form of a {@link ChangeEvent}, for writing change events to Kafka topics, JSON Lines
 * files and lakes. One object per event with the record's fields by name:
 *
 * <pre>{@code
 * {"operation":"UPDATE",
 *  "table":{"database":"shop","schema":"public","table":"orders"},
 *  "key":{"id":7},
 *  "before":{"id":7,"qty":1}, "beforeImage":"FULL",
 *  "after":{"id":7,"qty":2},
 *  "changedFields":{"qty":{"oldValue":1,"newValue":2}}, "changedFieldsKnown":true,
 *  "unavailableFields":[], "schemaChange":null,
 *  "source":{"connector":"postgresql","name":"shop","lsn":24023128,"binlogFile":null,
 *            "binlogPosition":null,"gtid":null,"transactionId":"748",
 *            "commitTime":"2026-01-02T10:15:30.123Z","snapshot":false}}
 * }</pre>
 *
 * <p>Enums are written by name, {@code commitTime} as an ISO-8601 instant, {@code byte[]} column
 * values as base64 strings; {@code changedFieldsKnown} is derived (written, ignored when read).
 * Reading tolerates unknown fields. A value read back is a JSON type ({@code Integer}, {@code
 * Long}, {@code Double}, {@code String}, {@code Boolean}, maps and lists), so a {@code byte[]} or
 * {@code BigDecimal} column comes back as a string or a double. Thread-safe.
 */
public final class ChangeEventJson {
  private static final ObjectMapper MAPPER = mapper();

  private ChangeEventJson() {}

  /**
   * A new Jackson mapper configured for this form, to hand to a JSON sink (e.g. {@code
   * Sink.jsonLines(path, ChangeEvent.class, ChangeEventJson.mapper())}) or to read events back.
   */
  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .addMixIn(ChangeEvent.class, Derived.class);
  }

  /** The event as one line of JSON. */
  public static String toJson(ChangeEvent event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("change event cannot be written as JSON", e);
    }
  }

  /** Reads an event written by {@link #toJson} or {@link #mapper()}. */
  public static ChangeEvent fromJson(String json) {
    try {
      return MAPPER.readValue(json, ChangeEvent.class);
    } catch (JsonProcessingException e) {
      // Jackson's message may quote the input (row values): say where, not what.
      throw new IllegalArgumentException(
          "not a change event in collect-cdc's JSON form ("
              + e.getClass().getSimpleName()
              + (e.getLocation() == null
                  ? ""
                  : " at line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr())
              + ")");
    }
  }

  /** Writes the derived {@code changedFieldsKnown} beside the record's fields. */
  @JsonIgnoreProperties(value = "changedFieldsKnown", allowGetters = true)
  private abstract static class Derived {
    @JsonProperty("changedFieldsKnown")
    abstract boolean changedFieldsKnown();
  }
}
