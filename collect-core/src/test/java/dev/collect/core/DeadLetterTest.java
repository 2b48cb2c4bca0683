package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.fixtures.Click;
import dev.collect.core.privacy.Privacy;
import dev.collect.core.privacy.PrivacyAction;
import dev.collect.core.privacy.PrivacyKeys;
import dev.collect.core.testing.TestSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DeadLetterTest {

  /** The documented fields, in the order of the record (and of the JSON). */
  static final List<String> FIELDS =
      java.util.Arrays.stream(DeadLetter.class.getRecordComponents())
          .map(java.lang.reflect.RecordComponent::getName)
          .toList();

  @TempDir Path dir;

  private Path write(String... lines) throws IOException {
    Path in = dir.resolve("in.jsonl");
    Files.write(in, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    return in;
  }

  @Test
  void deadLettersCarryEveryDocumentedFieldAndTheOriginalPayload() throws IOException {
    Path in =
        write(
            Click.json(1),
            "{\"id\":\"e2\",\"user\":\"u2\",\"type\":\"hover\",\"position\":-3}",
            "{\"id\":\"e3\",\"user\":",
            Click.json(4));
    Path dlq = dir.resolve("dead.jsonl");

    RunReport report =
        Pipeline.from(Source.jsonLines(in))
            .collect(Collector.json(Click.class))
            .validate(Validator.bean(Click.class))
            .to(Sink.jsonLines(dir.resolve("out.jsonl")))
            .deadLetters(DeadLetterSink.jsonLines(dlq))
            .name("clicks")
            .versions("7", "3")
            .build()
            .run();

    assertThat(report.invariantHolds()).isTrue();
    assertThat(report.deadLettered()).isEqualTo(2);
    List<JsonNode> letters = readJsonLines(dlq);
    assertThat(letters).hasSize(2);
    for (JsonNode letter : letters) {
      List<String> names = new ArrayList<>();
      letter.fieldNames().forEachRemaining(names::add);
      assertThat(names).hasSize(22).containsExactlyElementsOf(FIELDS);
      assertThat(letter.get("pipeline").asText()).isEqualTo("clicks");
      assertThat(letter.get("pipelineVersion").asText()).isEqualTo("7");
      assertThat(letter.get("schemaVersion").asText()).isEqualTo("3");
      assertThat(letter.get("position").get("file").asText()).endsWith("in.jsonl");
      assertThat(letter.get("attempts").asInt()).isEqualTo(1);
      assertThat(letter.get("firstFailure").asText()).isNotEmpty();
      assertThat(letter.get("ingestTime").asText()).isNotEmpty();
    }
    JsonNode invalid = letters.get(0);
    assertThat(invalid.get("stage").asText()).isEqualTo("VALIDATE");
    assertThat(invalid.get("reason").asText()).isEqualTo("invalid");
    assertThat(invalid.get("position").get("line").asInt()).isEqualTo(2);
    assertThat(invalid.get("violations")).hasSize(2);
    assertThat(invalid.get("violations").get(0).get("path").asText()).isEqualTo("position");
    assertThat(invalid.get("violations").get(0).get("invalidValue").asText()).isEqualTo("-3");
    assertThat(invalid.get("payload").asText()).contains("\"hover\"");
    JsonNode malformed = letters.get(1);
    assertThat(malformed.get("stage").asText()).isEqualTo("COLLECT");
    assertThat(malformed.get("reason").asText()).isEqualTo("malformed");
    assertThat(malformed.get("errorClass").asText())
        .isEqualTo(MalformedRecordException.class.getName());
    assertThat(malformed.get("stackTrace").size()).isPositive();
    assertThat(malformed.get("retryable").asBoolean()).isFalse();
    assertThat(malformed.get("payloadEncoding").asText()).isEqualTo("utf8");
    assertThat(malformed.get("payload").asText()).isEqualTo("{\"id\":\"e3\",\"user\":");
  }

  @Test
  void invalidUtf8IsDeadLetteredWithItsExactBytesInBase64() throws IOException {
    Path in = dir.resolve("in.jsonl");
    byte[] bad = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
    Files.write(in, bad);
    Path dlq = dir.resolve("dead.jsonl");

    RunReport report =
        Pipeline.from(Source.jsonLines(in))
            .collect(Collector.json(Click.class))
            .to(new TestSink<>())
            .deadLetters(DeadLetterSink.jsonLines(dlq))
            .build()
            .run();

    assertThat(report.deadLettered()).isEqualTo(1);
    assertThat(report.invariantHolds()).isTrue();
    JsonNode letter = readJsonLines(dlq).get(0);
    assertThat(letter.get("payloadEncoding").asText()).isEqualTo("base64");
    assertThat(java.util.Base64.getDecoder().decode(letter.get("payload").asText()))
        .isEqualTo(java.util.Arrays.copyOf(bad, bad.length - 1));
  }

  @Test
  void deadLettersReplayThroughAFixedPipeline() throws IOException {
    Path in = write(Click.json(1), Click.json(2).replace("\"view\"", "\"buy\""), Click.json(3));
    Path dlq = dir.resolve("dead.jsonl");
    Validator<Click> strict = Validator.rule("type", "must be view", c -> c.type().equals("view"));
    RunReport first =
        Pipeline.from(Source.jsonLines(in))
            .collect(Collector.json(Click.class))
            .validate(strict)
            .to(new TestSink<>())
            .deadLetters(DeadLetterSink.jsonLines(dlq))
            .build()
            .run();
    assertThat(first.deadLettered()).isEqualTo(1);

    TestSink<Click> replayed = new TestSink<>();
    RunReport replay =
        Pipeline.from(Source.deadLetters(dlq))
            .collect(Collector.json(Click.class))
            .validate(Validator.bean(Click.class))
            .to(replayed)
            .deadLetters(DeadLetterSink.jsonLines(dir.resolve("dead-again.jsonl")))
            .build()
            .run();

    assertThat(replay.invariantHolds()).isTrue();
    assertThat(replay.written()).isEqualTo(1);
    assertThat(replayed.values()).extracting(Click::id).containsExactly("e2");
    assertThat(replayed.envelopes().get(0).headers())
        .containsEntry("collect.dlq.reason", "invalid")
        .containsEntry("collect.dlq.stage", "VALIDATE");
  }

  @Test
  void privacyRulesRedactDeadLetters() throws IOException {
    Path in =
        write(
            "{\"id\":\"e1\",\"user\":\"alice@example.com\",\"type\":\"hover\",\"position\":1}",
            "not json at all");
    Path dlq = dir.resolve("dead.jsonl");

    RunReport report =
        Pipeline.from(Source.jsonLines(in))
            .collect(Collector.json(Click.class))
            .validate(Validator.bean(Click.class))
            .to(new TestSink<>())
            .deadLetters(DeadLetterSink.jsonLines(dlq))
            .deadLetterPrivacy(
                Privacy.json(PrivacyKeys.hmac("a-secret-of-16-bytes-or-more"))
                    .field("user", PrivacyAction.PSEUDONYMIZE)
                    .field("type", PrivacyAction.MASK)
                    .build())
            .build()
            .run();

    assertThat(report.deadLettered()).isEqualTo(2);
    String text = Files.readString(dlq);
    assertThat(text).doesNotContain("alice@example.com").doesNotContain("not json at all");
    List<JsonNode> letters = readJsonLines(dlq);
    assertThat(letters.get(0).get("violations").get(0).get("invalidValue").asText())
        .isEqualTo("[redacted]");
    assertThat(letters.get(1).get("payloadEncoding").asText()).isEqualTo("redacted");
  }

  static List<JsonNode> readJsonLines(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (Iterator<String> it = Files.readAllLines(file).iterator(); it.hasNext(); ) {
      out.add(mapper.readTree(it.next()));
    }
    return out;
  }
}
