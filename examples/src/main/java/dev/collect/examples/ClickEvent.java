package dev.collect.examples;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.collect.core.privacy.Personal;
import dev.collect.core.privacy.PrivacyAction;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

/** A click on a web shop, as the quickstart collects it. */
public record ClickEvent(
    @JsonProperty("event_id") @NotBlank(message = "must not be blank") String eventId,
    @JsonProperty("user_id")
        @NotBlank(message = "must not be blank")
        @Personal(PrivacyAction.PSEUDONYMIZE)
        String userId,
    @JsonProperty("event_type")
        @NotNull(message = "must not be null")
        @Pattern(
            regexp = "view|click|add_to_cart|purchase",
            message = "must be one of view|click|add_to_cart|purchase")
        String eventType,
    @JsonProperty("item_id") @NotBlank(message = "must not be blank") String itemId,
    @JsonProperty("position") @PositiveOrZero(message = "must be >= 0") int position,
    @JsonProperty("ip") @Personal(PrivacyAction.GENERALIZE) String ip,
    @JsonProperty("timestamp") @NotNull(message = "must not be null") String timestamp) {}
