package dev.collect.core.privacy;

import dev.collect.core.CollectException;
import dev.collect.core.spi.Checks;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The secrets behind pseudonymisation and encryption: one HMAC key, and AES keys by id with one
 * active for new encryptions (older ids stay for decryption, so keys can rotate). {@link
 * #toString()} never shows a key. Immutable.
 */
public final class PrivacyKeys {
  private final byte[] hmacKey;
  private final Map<String, byte[]> aesKeys;
  private final String activeKeyId;

  private PrivacyKeys(byte[] hmacKey, Map<String, byte[]> aesKeys, String activeKeyId) {
    this.hmacKey = hmacKey;
    this.aesKeys = aesKeys;
    this.activeKeyId = activeKeyId;
  }

  /** Starts a key set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Keys with only an HMAC key (UTF-8 bytes of {@code secret}): enough for pseudonymisation. */
  public static PrivacyKeys hmac(String secret) {
    return builder().hmacKey(secret.getBytes(StandardCharsets.UTF_8)).build();
  }

  byte[] hmacKey() {
    if (hmacKey == null) {
      throw new CollectException(
          "pseudonymisation needs an HMAC key: set PrivacyKeys.builder().hmacKey(...)");
    }
    return hmacKey;
  }

  byte[] aesKey(String id) {
    byte[] key = aesKeys.get(id);
    if (key == null) {
      throw new CollectException("no AES key with id '" + id + "' is configured");
    }
    return key;
  }

  String activeKeyId() {
    if (activeKeyId == null) {
      throw new CollectException(
          "encryption needs an AES key: set PrivacyKeys.builder().aesKey(id, key)");
    }
    return activeKeyId;
  }

  @Override
  public String toString() {
    return "PrivacyKeys{hmac="
        + (hmacKey != null)
        + ", aesKeyIds="
        + aesKeys.keySet()
        + ", active="
        + activeKeyId
        + "}";
  }

  /** Builds {@link PrivacyKeys}. */
  public static final class Builder {
    private byte[] hmacKey;
    private final Map<String, byte[]> aesKeys = new HashMap<>();
    private String activeKeyId;

    private Builder() {}

    /** The HMAC-SHA256 key, at least 16 bytes. */
    public Builder hmacKey(byte[] key) {
      Objects.requireNonNull(key, "key");
      Checks.atLeastBytes("hmacKey", key, 16);
      this.hmacKey = key.clone();
      return this;
    }

    /** An AES key (16, 24 or 32 bytes) under {@code id}; the last one added is active. */
    public Builder aesKey(String id, byte[] key) {
      Objects.requireNonNull(id, "id");
      if (id.isEmpty() || id.contains(":")) {
        throw new IllegalArgumentException(
            "aes key id must be non-empty without ':', but was '" + id + "'");
      }
      if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
        throw new IllegalArgumentException(
            "aes key must have 16, 24 or 32 bytes, but had " + (key == null ? 0 : key.length));
      }
      aesKeys.put(id, key.clone());
      activeKeyId = id;
      return this;
    }

    public PrivacyKeys build() {
      return new PrivacyKeys(hmacKey, Map.copyOf(aesKeys), activeKeyId);
    }
  }
}
