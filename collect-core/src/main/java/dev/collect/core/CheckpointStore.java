package dev.collect.core;

import dev.collect.core.internal.checkpoint.FileCheckpointStore;
import dev.collect.core.internal.checkpoint.InMemoryCheckpointStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Durable key to value storage for source positions and cursors ({@code "orders-file" -> "line 1200
 * at byte 88123"}). A value returned by {@link #load} is exactly the last one saved under its key,
 * never a torn or partly written one, also after a crash.
 *
 * <p>Implementations are thread-safe. Every implementation passes the same contract test ({@code
 * CheckpointStoreContract} in core's test jar).
 */
public interface CheckpointStore extends AutoCloseable {

  /** The last value saved under {@code key}, or empty. */
  Optional<String> load(String key);

  /** Stores {@code value} under {@code key} durably before returning. */
  void save(String key, String value);

  /** Forgets {@code key}; nothing happens if it is absent. */
  void delete(String key);

  @Override
  default void close() {}

  /**
   * One file per key in {@code directory} (created if absent), replaced atomically: write a
   * temporary file, fsync it, rename it over the old one, fsync the directory.
   */
  static CheckpointStore directory(Path directory) {
    return new FileCheckpointStore(directory);
  }

  /** A store in memory, lost with the process: for tests and one-shot runs. */
  static CheckpointStore inMemory() {
    return new InMemoryCheckpointStore();
  }
}
