package dev.collect.eventstore;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link EntityKeyStore#directory(Path)}: keys in checksummed files. */
class CheckpointEntityKeyStoreTest extends EntityKeyStoreContract {
  @TempDir Path dir;

  @Override
  protected EntityKeyStore newKeyStore() {
    return EntityKeyStore.directory(dir.resolve("keys"));
  }

  @Override
  protected EntityKeyStore reopen() {
    return EntityKeyStore.directory(dir.resolve("keys"));
  }
}
