package dev.collect.core.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.Sink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** {@link Sink#jsonLines(Path)}, read back line by line with Jackson. */
class JsonLinesFileSinkContractTest extends SinkContract<Map<String, Object>> {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Override
  protected Sink<Map<String, Object>> newSink() {
    return Sink.jsonLines(dir.resolve("out.jsonl"));
  }

  @Override
  protected Map<String, Object> record(String id) {
    return Map.of("id", id);
  }

  @Override
  protected Map<String, Object> rejectedRecord(String id) {
    return Map.of("id", id, "unserialisable", new Object());
  }

  @Override
  protected List<String> readBack() throws Exception {
    List<String> ids = new ArrayList<>();
    Path file = dir.resolve("out.jsonl");
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        ids.add(JSON.readTree(line).get("id").asText());
      }
    }
    return ids;
  }
}
