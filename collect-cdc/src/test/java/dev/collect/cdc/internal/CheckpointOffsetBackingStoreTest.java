package dev.collect.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.CheckpointStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointOffsetBackingStoreTest {

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static CheckpointOffsetBackingStore open(OffsetStores.Handle handle) {
    CheckpointOffsetBackingStore store = new CheckpointOffsetBackingStore();
    store.configure(
        new io.debezium.embedded.EmbeddedWorkerConfig(
            new java.util.HashMap<>(
                Map.of(
                    OffsetStores.ID_PROPERTY,
                    handle.id,
                    "offset.storage",
                    CheckpointOffsetBackingStore.class.getName()))));
    store.start();
    return store;
  }

  @Test
  void offsetsSurviveARestartThroughTheCheckpointStore(@TempDir Path dir) throws Exception {
    OffsetStores.Handle handle = OffsetStores.register(CheckpointStore.directory(dir), "offsets");
    try {
      CheckpointOffsetBackingStore first = open(handle);
      first
          .set(Map.of(bytes("[\"srv\",{\"server\":\"srv\"}]"), bytes("{\"lsn\":42}")), null)
          .get(10, TimeUnit.SECONDS);
      first.stop();

      CheckpointOffsetBackingStore second = open(handle);
      Map<ByteBuffer, ByteBuffer> loaded =
          second.get(List.of(bytes("[\"srv\",{\"server\":\"srv\"}]"))).get(10, TimeUnit.SECONDS);
      second.stop();

      assertThat(loaded.values()).containsExactly(bytes("{\"lsn\":42}"));
    } finally {
      OffsetStores.unregister(handle);
    }
  }

  @Test
  void unreadableOffsetsFailLoudly(@TempDir Path dir) {
    CheckpointStore checkpoints = CheckpointStore.directory(dir);
    checkpoints.save("offsets", "{not json");
    OffsetStores.Handle handle = OffsetStores.register(checkpoints, "offsets");
    try {
      assertThatThrownBy(() -> open(handle))
          .isInstanceOf(dev.collect.core.CollectException.class)
          .hasMessageContaining("'offsets' are not readable");
    } finally {
      OffsetStores.unregister(handle);
    }
  }

  @Test
  void anEngineNotStartedByCollectIsRejected() {
    assertThatThrownBy(() -> OffsetStores.lookup("nope"))
        .hasMessageContaining("no checkpoint store registered under 'nope'");
  }
}
