package dev.collect.eventstore;

import dev.collect.core.CheckpointStore;
import dev.collect.eventstore.internal.CheckpointKeyStore;
import dev.collect.eventstore.internal.PostgresKeyStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where the per-stream encryption keys of crypto-shredding live. Keep it apart from the log (its
 * own directory, volume or database): destroying a key is what erases a stream, so a backup of the
 * keys next to the log would undo erasures. Thread-safe.
 */
public interface EntityKeyStore extends AutoCloseable {

  /**
   * The stream's 256-bit AES key, created and stored durably on first use.
   *
   * @throws StreamErasedException when the key was destroyed
   */
  byte[] keyFor(String streamId);

  /** The stream's key, or empty when it was never created or was destroyed. */
  Optional<byte[]> find(String streamId);

  /** Destroys the stream's key for good; later {@link #keyFor} calls fail. Idempotent. */
  void destroy(String streamId);

  @Override
  default void close() {}

  /**
   * Keys kept in a checkpoint store, e.g. {@code CheckpointStore.directory(keysDir)}: each key is
   * one atomically replaced, checksummed file; a destroyed key is overwritten by a tombstone. On
   * SSDs and copy-on-write file systems old blocks may survive an overwrite: put the directory on
   * an encrypted volume, or use a key store backed by a KMS, where that matters.
   */
  static EntityKeyStore of(CheckpointStore store) {
    return new CheckpointKeyStore(store);
  }

  /** {@link #of(CheckpointStore)} over {@code CheckpointStore.directory(directory)}. */
  static EntityKeyStore directory(Path directory) {
    return new CheckpointKeyStore(CheckpointStore.directory(directory));
  }

  /**
   * Keys in the PostgreSQL table {@code <tablePrefix>_keys}, shared by every process (created if
   * absent), cached per process for {@code cacheTtl}: an erasure reaches other processes within
   * that time. Backups of that table restore erased keys: keep them apart or short-lived.
   */
  static EntityKeyStore postgres(DataSource dataSource, String tablePrefix, Duration cacheTtl) {
    return new PostgresKeyStore(dataSource, tablePrefix, cacheTtl);
  }

  /** Keys in memory, lost with the process: for tests. */
  static EntityKeyStore inMemory() {
    return new CheckpointKeyStore(CheckpointStore.inMemory());
  }
}
