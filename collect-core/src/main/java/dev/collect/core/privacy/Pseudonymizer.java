package dev.collect.core.privacy;

import dev.collect.core.CollectException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed HMAC-SHA256 pseudonyms as lowercase hex (64 characters). Thread-safe: each thread keeps its
 * own {@link Mac}.
 */
public final class Pseudonymizer {
  private static final HexFormat HEX = HexFormat.of();
  private final ThreadLocal<Mac> macs;

  private Pseudonymizer(byte[] key) {
    SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new CollectException(
                    "this JVM has no HmacSHA256, which every Java runtime must provide", e);
              }
            });
  }

  /** A pseudonymizer with the HMAC key of {@code keys}. */
  public static Pseudonymizer of(PrivacyKeys keys) {
    return new Pseudonymizer(keys.hmacKey());
  }

  /** A pseudonymizer with the given key bytes. */
  public static Pseudonymizer hmacSha256(byte[] key) {
    return new Pseudonymizer(key.clone());
  }

  /** The pseudonym of the UTF-8 bytes of {@code value}. */
  public String apply(String value) {
    return apply(value.getBytes(StandardCharsets.UTF_8));
  }

  /** The pseudonym of {@code value}'s bytes. */
  public String apply(byte[] value) {
    return HEX.formatHex(macs.get().doFinal(value));
  }
}
