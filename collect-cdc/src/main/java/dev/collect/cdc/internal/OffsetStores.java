package dev.collect.cdc.internal;

import dev.collect.core.CheckpointStore;
import dev.collect.core.CollectException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands a pipeline's {@link CheckpointStore} to the {@link CheckpointOffsetBackingStore} that the
 * engine instantiates by class name: the source registers it under a random id that travels in the
 * engine's properties.
 */
final class OffsetStores {
  static final String ID_PROPERTY = "collect.offset.store.id";

  private static final Map<String, Handle> HANDLES = new ConcurrentHashMap<>();

  private OffsetStores() {}

  static Handle register(CheckpointStore store, String key) {
    Handle handle = new Handle(UUID.randomUUID().toString(), store, key);
    HANDLES.put(handle.id, handle);
    return handle;
  }

  static Handle lookup(String id) {
    Handle handle = id == null ? null : HANDLES.get(id);
    if (handle == null) {
      throw new CollectException(
          "no checkpoint store registered under '"
              + id
              + "': the engine was not started by"
              + " collect-cdc");
    }
    return handle;
  }

  static void unregister(Handle handle) {
    HANDLES.remove(handle.id);
  }

  /** A checkpoint store and key, and the last failure to save into it. */
  static final class Handle {
    final String id;
    final CheckpointStore store;
    final String key;
    volatile RuntimeException saveFailure;

    Handle(String id, CheckpointStore store, String key) {
      this.id = id;
      this.store = store;
      this.key = key;
    }
  }
}
