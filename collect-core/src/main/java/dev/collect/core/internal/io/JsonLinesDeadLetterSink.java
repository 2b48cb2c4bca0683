package dev.collect.core.internal.io;

import dev.collect.core.DeadLetter;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.Envelope;
import dev.collect.core.internal.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Dead letters as JSON lines, through a {@link JsonLinesFileSink}. */
public final class JsonLinesDeadLetterSink implements DeadLetterSink {
  private final JsonLinesFileSink<DeadLetter> file;

  public JsonLinesDeadLetterSink(Path path) {
    this.file =
        JsonLinesFileSink.<DeadLetter>builder(path)
            .name("dead-letters:" + path.getFileName())
            .mapper(Json.mapper())
            .type(DeadLetter.class)
            .build();
  }

  @Override
  public String name() {
    return file.name();
  }

  @Override
  public void write(List<DeadLetter> letters) throws Exception {
    List<Envelope<DeadLetter>> batch = new ArrayList<>(letters.size());
    for (DeadLetter letter : letters) {
      batch.add(Envelope.of(letter));
    }
    file.write(batch);
  }

  @Override
  public void flush() throws Exception {
    file.flush();
  }

  @Override
  public void close() throws Exception {
    file.close();
  }
}
