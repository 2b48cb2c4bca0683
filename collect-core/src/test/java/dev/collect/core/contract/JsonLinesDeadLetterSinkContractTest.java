package dev.collect.core.contract;

import dev.collect.core.DeadLetter;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Envelope;
import dev.collect.core.Sink;
import dev.collect.core.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** {@link DeadLetterSink#jsonLines(Path)}, read back with {@link Source#deadLetters(Path)}. */
class JsonLinesDeadLetterSinkContractTest extends SinkContract<DeadLetter> {
  @TempDir Path dir;

  @Override
  protected Sink<DeadLetter> newSink() {
    return deadLetters(DeadLetterSink.jsonLines(dir.resolve("dead.jsonl")));
  }

  @Override
  protected DeadLetter record(String id) {
    return deadLetter(id);
  }

  @Override
  protected List<String> readBack() throws Exception {
    List<String> ids = new ArrayList<>();
    if (!dir.resolve("dead.jsonl").toFile().exists()) {
      return ids;
    }
    try (Source<byte[]> source = Source.deadLetters(dir.resolve("dead.jsonl"))) {
      source.open(context());
      while (!source.isFinished()) {
        for (Envelope<byte[]> e : source.poll(1000, java.time.Duration.ZERO)) {
          ids.add((String) e.key());
        }
      }
    }
    return ids;
  }
}
