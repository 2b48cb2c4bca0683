package dev.collect.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ClickstreamEtlTest {

  @TempDir Path dir;

  static final List<String> INPUT =
      List.of(
          "{\"event_id\":\"7f94f5ba-1671-449e-9404-0b5f2a05b187\",\"user_id\":280705,\"item_id\":\"product_7071\",\"event_type\":\"view\",\"timestamp\":\"2026-11-01T00:00:00.134Z\",\"properties\":{\"page\":\"account\",\"position\":37,\"device\":\"mobile\",\"session_id\":\"sess_5d95a3fe\"},\"value\":null}",
          "{\"event_id\":\"a\",\"item_id\":\"product_1\",\"event_type\":\"view\",\"timestamp\":\"2026-11-01T00:00:00.134Z\",\"properties\":{\"page\":\"home\",\"position\":-2,\"device\":\"mobile\",\"session_id\":\"s\"},\"value\":null}",
          "{\"event_id\":\"b\",\"user_id\":1,\"item_id\":\"product_1\",\"event_type\":\"rating\",\"timestamp\":\"2026-11-01T00:00:00.134Z\",\"properties\":{\"page\":\"home\",\"position\":2,\"device\":\"mobile\",\"session_id\":\"s\"},\"value\":4}",
          "{\"event_id\":\"c\",\"user_id\":1,\"item_id\":\"pro");

  @Test
  @Timeout(60)
  void writesTheWorkloadsOutputAndDeadLetterLines() throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.write(input, INPUT);
    String printed =
        StandardOutput.of(
            () ->
                dev.collect.examples.bench.ClickstreamEtl.main(
                    new String[] {
                      input.toString(), dir.resolve("out").toString(), "--workers", "2"
                    }));

    assertThat(Files.readAllLines(dir.resolve("out/output.jsonl")))
        .containsExactlyInAnyOrder(
            "{\"event_id\":\"7f94f5ba-1671-449e-9404-0b5f2a05b187\",\"user_id\":\"cb90e36111f31f4ca9d5ab1230825a80d6afce12e82f2acff85a797183448b0c\",\"item_id\":\"product_7071\",\"event_type\":\"view\",\"timestamp\":\"2026-11-01T00:00:00.134Z\",\"page\":\"account\",\"position\":37,\"device\":\"mobile\",\"session_id\":\"sess_5d95a3fe\",\"weight\":1.0}",
            "{\"event_id\":\"b\",\"user_id\":\""
                + new dev.collect.examples.bench.ClickTransformProbe().userId(1)
                + "\",\"item_id\":\"product_1\",\"event_type\":\"rating\",\"timestamp\":\"2026-11-01T00:00:00.134Z\",\"page\":\"home\",\"position\":2,\"device\":\"mobile\",\"session_id\":\"s\",\"weight\":4.0}");
    assertThat(Files.readAllLines(dir.resolve("out/dead_letters.jsonl")))
        .containsExactlyInAnyOrder(
            "{\"line_no\":2,\"reason\":\"invalid: properties.position must be >= 0; userId must not be null\",\"raw\":"
                + quote(INPUT.get(1))
                + "}",
            "{\"line_no\":4,\"reason\":\"malformed_json\",\"raw\":" + quote(INPUT.get(3)) + "}");
    assertThat(printed)
        .contains(
            "RESULT impl=collect-sdk workers=2 input_lines=4 valid_written=2 dead_lettered=2 seconds=");
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
