package dev.collect.examples.bench;

import dev.collect.core.privacy.Pseudonymizer;
import java.nio.charset.StandardCharsets;

/** The workload's transform: HMAC of the user id, a weight per event type, flat properties. */
public final class ClickTransform {
  /** The workload's fixed key; a real pipeline takes its key from a secret store. */
  static final byte[] KEY = "bench-fixed-hmac-key-v1".getBytes(StandardCharsets.UTF_8);

  private final Pseudonymizer pseudonymizer = Pseudonymizer.hmacSha256(KEY);

  /** The output record of a valid click. */
  public OutputRecord apply(ClickEvent e) {
    ClickEvent.ClickProperties p = e.properties();
    return new OutputRecord(
        e.eventId(),
        pseudonymizer.apply(Long.toString(e.userId())),
        e.itemId(),
        e.eventType(),
        e.timestamp(),
        p.page(),
        p.position(),
        p.device(),
        p.sessionId(),
        weight(e));
  }

  static double weight(ClickEvent e) {
    return switch (e.eventType()) {
      case "view" -> 1.0;
      case "click" -> 2.0;
      case "add_to_cart" -> 3.0;
      case "purchase" -> 5.0;
      default -> e.value();
    };
  }
}
