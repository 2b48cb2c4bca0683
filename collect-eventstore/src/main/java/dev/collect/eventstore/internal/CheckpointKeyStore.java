package dev.collect.eventstore.internal;

import dev.collect.core.CheckpointStore;
import dev.collect.eventstore.EntityKeyStore;
import dev.collect.eventstore.EventStoreException;
import dev.collect.eventstore.StreamErasedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-stream keys in a {@link CheckpointStore}, under the SHA-256 of the stream id (so any id fits
 * a file name); a destroyed key is replaced by a tombstone. Keys are cached in this process.
 */
public final class CheckpointKeyStore implements EntityKeyStore {
  private static final String DESTROYED = "destroyed";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CheckpointStore store;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  public CheckpointKeyStore(CheckpointStore store) {
    this.store = store;
  }

  @Override
  public byte[] keyFor(String streamId) {
    byte[] key = cache.get(streamId);
    if (key != null) {
      return key;
    }
    synchronized (this) {
      String name = name(streamId);
      Optional<String> saved = store.load(name);
      if (saved.isPresent()) {
        if (saved.get().equals(DESTROYED)) {
          throw new StreamErasedException(streamId);
        }
        key = Base64.getDecoder().decode(saved.get());
      } else {
        key = new byte[32];
        RANDOM.nextBytes(key);
        store.save(name, Base64.getEncoder().encodeToString(key));
      }
      cache.put(streamId, key);
      return key;
    }
  }

  @Override
  public Optional<byte[]> find(String streamId) {
    byte[] key = cache.get(streamId);
    if (key != null) {
      return Optional.of(key);
    }
    Optional<String> saved = store.load(name(streamId));
    if (saved.isEmpty() || saved.get().equals(DESTROYED)) {
      return Optional.empty();
    }
    key = Base64.getDecoder().decode(saved.get());
    cache.put(streamId, key);
    return Optional.of(key);
  }

  @Override
  public synchronized void destroy(String streamId) {
    store.save(name(streamId), DESTROYED);
    cache.remove(streamId);
  }

  @Override
  public void close() {
    store.close();
  }

  private static String name(String streamId) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(streamId.getBytes(StandardCharsets.UTF_8));
      return "ek-" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new EventStoreException(
          "this JVM has no SHA-256, which every Java runtime must provide", e);
    }
  }
}
