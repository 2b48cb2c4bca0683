package dev.collect.examples.iot;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/** One sensor reading as published: which sensor, when it was measured, the temperature. */
public record Reading(
    @JsonProperty("sensor") @NotBlank String sensor,
    @JsonProperty("measured_at") @NotNull Instant measuredAt,
    @JsonProperty("celsius") @NotNull Double celsius) {}
