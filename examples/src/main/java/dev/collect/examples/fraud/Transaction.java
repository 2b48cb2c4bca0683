package dev.collect.examples.fraud;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/** A card transaction as it arrives. */
public record Transaction(
    @NotBlank String id, @NotBlank String card, @Positive long amountCents, String merchant) {}
