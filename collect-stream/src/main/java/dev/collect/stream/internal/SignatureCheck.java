package dev.collect.stream.internal;

import dev.collect.stream.WebhookSignature;
import dev.collect.stream.WebhookSourceConfig;

/**
 * The outcome of checking a signed request: the verified MAC, reserved against replays, or the
 * reason for a 401.
 */
record SignatureCheck(byte[] mac, String problem) {

  static SignatureCheck of(
      WebhookSourceConfig config,
      ReplayGuard replays,
      byte[] body,
      String signature,
      String timestampHeader) {
    if (signature == null || timestampHeader == null) {
      return refused(
          "missing "
              + WebhookSignature.SIGNATURE_HEADER
              + " or "
              + WebhookSignature.TIMESTAMP_HEADER
              + " header");
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(timestampHeader.strip());
    } catch (NumberFormatException e) {
      return refused(WebhookSignature.TIMESTAMP_HEADER + " is not Unix seconds");
    }
    long now = config.clock().instant().getEpochSecond();
    long tolerance = config.timestampTolerance().toSeconds();
    if (Math.abs(now - timestamp) > tolerance) {
      return refused("timestamp outside the tolerance of " + tolerance + " s");
    }
    if (!WebhookSignature.verify(config.secret(), timestamp, body, signature)) {
      return refused("signature does not match");
    }
    // Verified, so the parsed MAC is the MAC of exactly this timestamp and body.
    byte[] mac = WebhookSignature.parse(signature);
    if (!replays.reserve(mac, timestamp)) {
      return refused("replayed request");
    }
    return new SignatureCheck(mac, null);
  }

  private static SignatureCheck refused(String problem) {
    return new SignatureCheck(null, problem);
  }
}
