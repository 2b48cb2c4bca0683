package dev.collect.eventstore.internal;

import dev.collect.eventstore.EventStoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over event payloads: {@code "CES1" iv[12] ciphertext+tag}, with a random IV per event
 * and the stream and event ids as associated data (a payload moved to another event fails).
 */
final class EntityCipher {
  private static final byte[] MAGIC = "CES1".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private EntityCipher() {}

  static boolean isSealed(byte[] data) {
    if (data.length < MAGIC.length + 12 + 16) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (data[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  static byte[] seal(byte[] key, String streamId, String eventId, byte[] plain) {
    byte[] iv = new byte[12];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      cipher.updateAAD(aad(streamId, eventId));
      byte[] sealed = cipher.doFinal(plain);
      return ByteBuffer.allocate(MAGIC.length + iv.length + sealed.length)
          .put(MAGIC)
          .put(iv)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new EventStoreException(
          "AES-GCM encryption failed: " + e.getClass().getSimpleName(), e);
    }
  }

  static byte[] open(byte[] key, String streamId, String eventId, byte[] sealed) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, sealed, MAGIC.length, 12));
      cipher.updateAAD(aad(streamId, eventId));
      int start = MAGIC.length + 12;
      return cipher.doFinal(sealed, start, sealed.length - start);
    } catch (GeneralSecurityException e) {
      throw new EventStoreException(
          "cannot decrypt event "
              + eventId
              + " of stream '"
              + streamId
              + "': tampered or wrong key");
    }
  }

  private static byte[] aad(String streamId, String eventId) {
    return (streamId + "\u0000" + eventId).getBytes(StandardCharsets.UTF_8);
  }
}
