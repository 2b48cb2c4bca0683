package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.testing.TestSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code DeadLetterSink.jsonLines}: the full record by default, or the fields or format chosen. */
@Timeout(60)
class DeadLetterFormatTest {

  @TempDir Path dir;

  private List<JsonNode> run(DeadLetterSink dead, Path file) throws Exception {
    TestSink<String> sink = new TestSink<>();
    RunReport report =
        Pipeline.from(Source.of("a", "bad", "c", "bad"))
            .map(
                v -> {
                  if (v.equals("bad")) {
                    throw new IllegalArgumentException("bad value");
                  }
                  return v;
                })
            .to(sink)
            .deadLetters(dead)
            .name("letters")
            .build()
            .run();
    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.written()).isEqualTo(2);
    assertThat(report.deadLettered()).isEqualTo(2);
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(mapper.readTree(line));
    }
    return lines;
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void theDefaultIsTheFullRecord() throws Exception {
    Path file = dir.resolve("dead.jsonl");

    List<JsonNode> lines = run(DeadLetterSink.jsonLines(file), file);

    assertThat(lines).hasSize(2);
    assertThat(lines)
        .allSatisfy(l -> assertThat(names(l)).containsExactlyElementsOf(DeadLetterTest.FIELDS));
  }

  @Test
  void aFieldSelectionKeepsExactlyThoseFieldsInTheRecordsOrder() throws Exception {
    Path file = dir.resolve("dead.jsonl");

    List<JsonNode> lines =
        run(DeadLetterSink.jsonLines(file, Set.of("payload", "reason", "pipeline")), file);

    assertThat(lines).hasSize(2);
    for (JsonNode line : lines) {
      assertThat(names(line)).containsExactly("pipeline", "reason", "payload");
      assertThat(line.get("pipeline").asText()).isEqualTo("letters");
      assertThat(line.get("reason").asText()).isEqualTo("failed");
    }
  }

  @Test
  void aFormatterDecidesTheLine() throws Exception {
    Path file = dir.resolve("dead.jsonl");

    List<JsonNode> lines =
        run(
            DeadLetterSink.jsonLines(
                file, l -> Map.of("why", l.errorMessage(), "where", l.component())),
            file);

    assertThat(lines).hasSize(2);
    assertThat(lines)
        .allSatisfy(
            l -> {
              assertThat(names(l)).containsExactlyInAnyOrder("why", "where");
              assertThat(l.get("why").asText()).isEqualTo("bad value");
              assertThat(l.get("where").asText()).isEqualTo("map-1");
            });
  }

  @Test
  void anUnknownOrEmptyFieldSelectionIsRejectedAtOnce() {
    Path file = dir.resolve("dead.jsonl");

    assertThatThrownBy(() -> DeadLetterSink.jsonLines(file, Set.of("reason", "nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope'");
    assertThatThrownBy(() -> DeadLetterSink.jsonLines(file, Set.<String>of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Files.exists(file)).isFalse();
  }
}
