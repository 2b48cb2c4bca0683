package dev.collect.examples.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.collect.eventstore.RecordedEvent;
import dev.collect.examples.recommend.Interaction;
import dev.collect.examples.recommend.TrainingRow;
import java.time.Instant;

/** One replayed event as a feature row: which stream, where in the log, what happened, how much. */
@JsonPropertyOrder({
  "stream",
  "version",
  "position",
  "type",
  "item",
  "weight",
  "occurred_at",
  "recorded_at"
})
public record AuditedInteraction(
    @JsonProperty("stream") String stream,
    @JsonProperty("version") long version,
    @JsonProperty("position") long position,
    @JsonProperty("type") String type,
    @JsonProperty("item") String item,
    @JsonProperty("weight") double weight,
    @JsonProperty("occurred_at") Instant occurredAt,
    @JsonProperty("recorded_at") Instant recordedAt) {

  static AuditedInteraction of(RecordedEvent event) {
    Interaction interaction = event.dataAs(Interaction.class);
    return new AuditedInteraction(
        event.streamId(),
        event.streamVersion(),
        event.position(),
        event.type(),
        interaction.itemId(),
        TrainingRow.weight(interaction),
        event.occurredAt(),
        event.recordedAt());
  }
}
