package dev.collect.examples.recommend;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One implicit-feedback training row: who, what, how strongly, in which context. */
@JsonPropertyOrder({"user", "item", "weight", "device", "location", "session", "timestamp"})
public record TrainingRow(
    @JsonProperty("user") String user,
    @JsonProperty("item") String item,
    @JsonProperty("weight") double weight,
    @JsonProperty("device") String device,
    @JsonProperty("location") String location,
    @JsonProperty("session") String session,
    @JsonProperty("timestamp") String timestamp) {

  /** Implicit feedback: view 1, click 2, add to cart 3, purchase 5, a rating its value. */
  public static double weight(Interaction i) {
    return switch (i.type()) {
      case "view" -> 1;
      case "click" -> 2;
      case "add_to_cart" -> 3;
      case "purchase" -> 5;
      case "rating" -> i.rating() == null ? 0 : i.rating();
      default -> throw new IllegalArgumentException("unknown interaction type");
    };
  }

  static TrainingRow of(Interaction i) {
    return new TrainingRow(
        i.userId(), i.itemId(), weight(i), i.device(), i.location(), i.sessionId(), i.timestamp());
  }
}
