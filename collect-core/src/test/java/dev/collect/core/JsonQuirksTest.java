package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.fixtures.Collecting;
import dev.collect.core.testing.TestDeadLetterSink;
import dev.collect.core.testing.TestSink;
import dev.collect.core.testing.TestSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON collector's decisions on numbers and on the quirks of real-world JSON. */
class JsonQuirksTest {

  record Reading(String id, double value, String note) {}

  private final Collector<byte[], Reading> collector = Collector.json(Reading.class);

  private List<Reading> collect(byte[] json) throws Exception {
    return Collecting.collect(collector, json);
  }

  private List<Reading> collect(String json) throws Exception {
    return collect(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aNumberBeyondTheRangeOfADoubleIsMalformedNotInfinity() {
    assertThatThrownBy(() -> collect("{\"id\":\"a\",\"value\":1e400}"))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("number out of range for double")
        .hasMessageContaining("'value'")
        .hasMessageNotContaining("1e400");
  }

  @Test
  void theLargestFiniteDoubleIsKept() throws Exception {
    assertThat(collect("{\"id\":\"a\",\"value\":1.7976931348623157e308}"))
        .containsExactly(new Reading("a", Double.MAX_VALUE, null));
  }

  @Test
  void aUtf8ByteOrderMarkAtTheStartIsSkipped() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    bytes.write("{\"id\":\"a\",\"value\":1}".getBytes(StandardCharsets.UTF_8));

    assertThat(collect(bytes.toByteArray())).containsExactly(new Reading("a", 1, null));
  }

  @Test
  void duplicateKeysAreMalformedNotLastWins() {
    assertThatThrownBy(() -> collect("{\"id\":\"a\",\"value\":1,\"id\":\"b\"}"))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("duplicate field 'id'");
  }

  @Test
  void aCarriageReturnBeforeTheLineFeedIsWhitespace() throws Exception {
    assertThat(collect("{\"id\":\"a\",\"value\":2}\r")).containsExactly(new Reading("a", 2, null));
  }

  @Test
  void anEscapedLoneSurrogateIsMalformedAndAnEscapedPairIsKept() throws Exception {
    assertThatThrownBy(() -> collect("{\"id\":\"a\",\"value\":1,\"note\":\"x\\ud800y\"}"))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("lone surrogate");
    assertThatThrownBy(() -> collect("{\"id\":\"a\",\"value\":1,\"note\":\"\\udc00\"}"))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("lone surrogate");

    assertThat(collect("{\"id\":\"a\",\"value\":1,\"note\":\"\\ud83d\\ude00\"}"))
        .containsExactly(new Reading("a", 1, "\uD83D\uDE00"));
    assertThat(collect("{\"id\":\"a\",\"value\":1,\"note\":\"\\\\ud800\"}"))
        .containsExactly(new Reading("a", 1, "\\ud800"));
  }

  @Test
  void deadLettersForJsonErrorsSayWhyWithoutTheRecordsContent() {
    byte[] invalidUtf8 = "{\"id\":\"secret-1\",\"value\":1,\"note\":\"?\"}".getBytes();
    invalidUtf8[invalidUtf8.length - 3] = (byte) 0xFF;
    String deep = "{\"id\":\"secret-2\",\"extra\":" + "[".repeat(1001) + "]".repeat(1001) + "}";
    String token = "{\"id\":\"a\",\"value\":secret-3}";
    String type = "{\"id\":\"a\",\"value\":\"secret-4\"}";
    TestDeadLetterSink dead = new TestDeadLetterSink();

    RunReport report =
        Pipeline.from(
                TestSource.of(
                    List.of(
                        invalidUtf8,
                        deep.getBytes(StandardCharsets.UTF_8),
                        token.getBytes(StandardCharsets.UTF_8),
                        type.getBytes(StandardCharsets.UTF_8))))
            .collect(collector)
            .to(new TestSink<>())
            .deadLetters(dead)
            .build()
            .run();

    assertThat(report.deadLettered()).isEqualTo(4);
    assertThat(report.invariantHolds()).isTrue();
    assertThat(dead.letters())
        .extracting(DeadLetter::errorMessage)
        .satisfiesExactly(
            m -> assertThat(m).contains("invalid UTF-8 start byte 0xFF"),
            m -> assertThat(m).contains("nesting depth 1001 exceeds 1000"),
            m -> assertThat(m).contains("unrecognized token"),
            m -> assertThat(m).contains("field 'value'").contains("expected double"));
    assertThat(dead.letters())
        .extracting(DeadLetter::errorMessage)
        .allSatisfy(m -> assertThat(m).doesNotContain("secret"));
  }
}
