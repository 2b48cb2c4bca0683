package dev.collect.stream;

import dev.collect.core.CollectException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

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
    byte[] given = parse(header);
    return given != null && MessageDigest.isEqual(mac(secret, epochSeconds, body), given);
  }

  /**
   * The MAC carried by a signature header, or null when the header is not of the accepted form:
   * {@code sha256=} followed by hex digits, where the prefix and the digits may be in either case
   * and whitespace around the whole value is ignored. Distinct header strings can thus carry the
   * same MAC: a receiver that remembers requests must compare the MACs, not the strings.
   */
  public static byte @Nullable [] parse(String header) {
    if (header == null) {
      return null;
    }
    String value = header.strip();
    if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    try {
      return HexFormat.of().parseHex(value, PREFIX.length(), value.length());
    } catch (IllegalArgumentException notHex) {
      return null;
    }
  }

  private static byte[] mac(byte[] secret, long epochSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new CollectException(
          "this JVM has no HmacSHA256, which every Java runtime must provide", e);
    }
  }
}
