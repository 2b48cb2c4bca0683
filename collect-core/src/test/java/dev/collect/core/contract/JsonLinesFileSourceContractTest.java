package dev.collect.core.contract;

import dev.collect.core.Envelope;
import dev.collect.core.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** {@link Source#jsonLines(Path)}, resuming from the pipeline's checkpoint store. */
class JsonLinesFileSourceContractTest extends SourceContract<byte[]> {
  @TempDir Path dir;

  @Override
  protected void write(List<String> ids) throws Exception {
    Files.write(dir.resolve("in.jsonl"), ids, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Override
  protected Source<byte[]> newSource() {
    return Source.jsonLines(dir.resolve("in.jsonl"));
  }

  @Override
  protected String idOf(Envelope<byte[]> envelope) {
    return new String(envelope.value(), StandardCharsets.UTF_8);
  }

  @Override
  protected boolean isBounded() {
    return true;
  }
}
