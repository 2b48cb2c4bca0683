package dev.collect.examples.recommend;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.collect.core.privacy.Personal;
import dev.collect.core.privacy.PrivacyAction;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** A user's interaction with an item, with the context it happened in. */
public record Interaction(
    @JsonProperty("user_id") @NotBlank @Personal(PrivacyAction.PSEUDONYMIZE) String userId,
    @JsonProperty("item_id") @NotBlank String itemId,
    @JsonProperty("type") @NotNull @Pattern(regexp = "view|click|add_to_cart|purchase|rating")
        String type,
    @JsonProperty("rating") @Min(1) @Max(5) Integer rating,
    @JsonProperty("device") String device,
    @JsonProperty("location") @Personal(PrivacyAction.GENERALIZE) String location,
    @JsonProperty("session_id") String sessionId,
    @JsonProperty("timestamp") @NotNull String timestamp) {}
