package dev.collect.core.contract;

import dev.collect.core.DeadLetterSink;
import dev.collect.core.Envelope;
import dev.collect.core.Source;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** {@link Source#deadLetters(Path)}: bounded, reads the whole file again on every open. */
class DeadLetterFileSourceContractTest extends SourceContract<byte[]> {
  @TempDir Path dir;

  @Override
  protected void write(List<String> ids) throws Exception {
    try (DeadLetterSink sink = DeadLetterSink.jsonLines(dir.resolve("dead.jsonl"))) {
      sink.write(ids.stream().map(SinkContract::deadLetter).toList());
    }
  }

  @Override
  protected Source<byte[]> newSource() {
    return Source.deadLetters(dir.resolve("dead.jsonl"));
  }

  @Override
  protected String idOf(Envelope<byte[]> envelope) {
    return (String) envelope.key();
  }

  @Override
  protected boolean isBounded() {
    return true;
  }

  @Override
  protected boolean resumesFromCommits() {
    return false;
  }
}
