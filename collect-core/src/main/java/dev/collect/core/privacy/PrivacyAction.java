package dev.collect.core.privacy;

/** What to do with a personal field. */
public enum PrivacyAction {
  /**
   * Keyed HMAC-SHA256, lowercase hex: equal inputs stay joinable, the input cannot be recovered.
   */
  PSEUDONYMIZE,
  /** Replace all but the last {@link Personal#keepLast()} characters with {@code *}. */
  MASK,
  /**
   * Coarsen: an IPv4 address loses its last octet, an IPv6 address keeps its first three groups, a
   * timestamp is truncated to {@link Personal#truncateTo()}, a number rounded down to a multiple of
   * {@link Personal#bucket()}.
   */
  GENERALIZE,
  /** Remove the value (null, or the field is removed from JSON). */
  DROP,
  /** AES-GCM with the active key: {@code enc:v1:<keyId>:<base64(iv + ciphertext)>}. */
  ENCRYPT
}
