package dev.collect.batch;

import dev.collect.core.Envelope;
import dev.collect.core.Source;
import dev.collect.core.contract.SourceContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileSource}: one JSON Lines file per write, resuming mid-file from the checkpoints. */
class FileSourceContractTest extends SourceContract<Map<String, Object>> {
  @TempDir Path dir;
  private int files;

  @Override
  protected void write(List<String> ids) throws Exception {
    List<String> lines = ids.stream().map(id -> "{\"id\":\"" + id + "\"}").toList();
    Files.write(dir.resolve(String.format("part-%04d.jsonl", files++)), lines);
  }

  @Override
  protected Source<Map<String, Object>> newSource() throws Exception {
    return LocalFiles.source(
        FileSourceConfig.builder(dir).glob("*.jsonl").checkpoints(checkpoints, "files").build());
  }

  @Override
  protected String idOf(Envelope<Map<String, Object>> envelope) {
    return (String) envelope.value().get("id");
  }

  @Override
  protected boolean isBounded() {
    return true;
  }
}
