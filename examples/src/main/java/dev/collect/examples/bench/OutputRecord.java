package dev.collect.examples.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A valid click after the transform: pseudonymous user, flattened properties, a weight. */
@JsonPropertyOrder({
  "event_id",
  "user_id",
  "item_id",
  "event_type",
  "timestamp",
  "page",
  "position",
  "device",
  "session_id",
  "weight"
})
public record OutputRecord(
    @JsonProperty("event_id") String eventId,
    @JsonProperty("user_id") String userId,
    @JsonProperty("item_id") String itemId,
    @JsonProperty("event_type") String eventType,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("page") String page,
    @JsonProperty("position") Integer position,
    @JsonProperty("device") String device,
    @JsonProperty("session_id") String sessionId,
    @JsonProperty("weight") double weight) {}
