package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest extends CheckpointStoreContract {

  @TempDir Path dir;

  @Override
  protected CheckpointStore newStore() {
    return CheckpointStore.directory(dir.resolve("checkpoints"));
  }

  @Override
  protected CheckpointStore reopen() {
    return CheckpointStore.directory(dir.resolve("checkpoints"));
  }

  @Test
  void aCorruptedFileIsReportedNotReadAsAPosition() throws IOException {
    store.save("orders", "offset 100");
    Path file;
    try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
      file = files.filter(p -> p.toString().endsWith(".checkpoint")).findFirst().orElseThrow();
    }
    Files.writeString(file, Files.readString(file).replace("100", "900"));

    assertThatThrownBy(() -> store.load("orders"))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  void anIoFailureIsARetriableCollectExceptionNamingThePlace() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");

    assertThatThrownBy(() -> CheckpointStore.directory(notADirectory.resolve("checkpoints")))
        .isInstanceOf(RetriableCollectException.class)
        .hasMessageContaining("cannot create checkpoint directory")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void aLeftoverTemporaryFileFromACrashDoesNotHideTheLastValue() throws IOException {
    store.save("orders", "1");
    try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
      Path file = files.findFirst().orElseThrow();
      Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), "torn");
    }

    assertThat(reopen().load("orders")).contains("1");
  }
}
