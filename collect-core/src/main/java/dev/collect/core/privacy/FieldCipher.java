package dev.collect.core.privacy;

import dev.collect.core.CollectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM encryption of single values as {@code enc:v1:<keyId>:<base64(iv + ciphertext + tag)>},
 * with a random 12-byte IV per value and the key id as associated data. Thread-safe.
 */
public final class FieldCipher {
  private static final String PREFIX = "enc:v1:";
  private static final SecureRandom RANDOM = new SecureRandom();
  private final PrivacyKeys keys;

  private FieldCipher(PrivacyKeys keys) {
    this.keys = keys;
  }

  /** A cipher over {@code keys}' AES keys. */
  public static FieldCipher of(PrivacyKeys keys) {
    return new FieldCipher(keys);
  }

  /** Encrypts {@code plain} with the active key. */
  public String encrypt(String plain) {
    String id = keys.activeKeyId();
    byte[] iv = new byte[12];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(keys.aesKey(id), "AES"),
          new GCMParameterSpec(128, iv));
      cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed);
      return PREFIX + id + ":" + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new CollectException("AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Decrypts a value made by {@link #encrypt(String)}, with the key named in it.
   *
   * @throws IllegalArgumentException when the value is not of that form, was tampered with, or
   *     names a key id that {@code keys} does not have
   */
  public String decrypt(String sealed) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not an encrypted value (expected the enc:v1: prefix)");
    }
    int colon = sealed.indexOf(':', PREFIX.length());
    if (colon < 0) {
      throw new IllegalArgumentException("encrypted value has no key id");
    }
    String id = sealed.substring(PREFIX.length(), colon);
    byte[] key;
    try {
      key = keys.aesKey(id);
    } catch (CollectException unknown) {
      throw new IllegalArgumentException(
          "cannot decrypt value: no AES key with id '" + id + "' is configured");
    }
    try {
      byte[] all = Base64.getDecoder().decode(sealed.substring(colon + 1));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, all, 0, 12));
      cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot decrypt value with key '" + id + "': tampered or wrong key");
    }
  }
}
