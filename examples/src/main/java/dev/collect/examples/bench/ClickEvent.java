package dev.collect.examples.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** One line of the clickstream workload, with the constraints of WORKLOAD.md. */
public record ClickEvent(
    @JsonProperty("event_id") @NotBlank(message = "must not be blank") String eventId,
    @JsonProperty("user_id")
        @NotNull(message = "must not be null")
        @Positive(message = "must be positive")
        Long userId,
    @JsonProperty("item_id") @NotBlank(message = "must not be blank") String itemId,
    @JsonProperty("event_type")
        @NotNull(message = "must not be null")
        @Pattern(
            regexp = "view|click|add_to_cart|purchase|rating",
            message = "must be one of view|click|add_to_cart|purchase|rating")
        String eventType,
    @JsonProperty("timestamp") @NotNull(message = "must not be null") @IsoInstant String timestamp,
    @JsonProperty("properties") @NotNull(message = "must not be null") @Valid
        ClickProperties properties,
    @JsonProperty("value") Integer value) {

  /** A rating carries a value from 1 to 5. */
  @JsonIgnore
  @AssertTrue(message = "rating needs value 1..5")
  public boolean isRatingValueValid() {
    return !"rating".equals(eventType) || (value != null && value >= 1 && value <= 5);
  }

  /** The nested properties object. */
  public record ClickProperties(
      @JsonProperty("page") String page,
      @JsonProperty("position") @PositiveOrZero(message = "must be >= 0") Integer position,
      @JsonProperty("device") String device,
      @JsonProperty("session_id") String sessionId) {}
}
