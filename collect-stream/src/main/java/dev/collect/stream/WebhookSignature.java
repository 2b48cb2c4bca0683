package dev.collect.stream;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature scheme: {@code HMAC-SHA256(secret, timestamp + "." + body)}, sent as the
 * header {@value #SIGNATURE_HEADER}{@code : sha256=<lowercase hex>} with the Unix time in seconds
 * in {@value #TIMESTAMP_HEADER}. Signing the timestamp with the body lets the receiver refuse old
 * requests replayed by someone who captured them. Stateless and thread-safe.
 */
public final class WebhookSignature {
  public static final String SIGNATURE_HEADER = "X-Collect-Signature";
  public static final String TIMESTAMP_HEADER = "X-Collect-Timestamp";
  private static final String PREFIX = "sha256=";

  private WebhookSignature() {}

  /** The header value signing {@code body} sent at {@code epochSeconds}. */
  public static String sign(byte[] secret, long epochSeconds, byte[] body) {
    return PREFIX + HexFormat.of().formatHex(mac(secret, epochSeconds, body));
  }

  /** Whether {@code header} signs {@code body} at {@code epochSeconds}; compares in fixed time. */
  public static boolean verify(byte[] secret, long epochSeconds, byte[] body, String header) {
    if (header == null || !header.startsWith(PREFIX)) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(PREFIX.length()));
    } catch (IllegalArgumentException notHex) {
      return false;
    }
    return MessageDigest.isEqual(mac(secret, epochSeconds, body), given);
  }

  private static byte[] mac(byte[] secret, long epochSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
