package dev.collect.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.collect.core.fixtures.Click;
import dev.collect.core.fixtures.Collecting;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCollectorTest {

  private final Collector<byte[], Click> collector = Collector.json(Click.class);

  private List<Click> collect(String json) throws Exception {
    return Collecting.collect(
        collector, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesAValidRecord() throws Exception {
    assertThat(collect(Click.json(3))).containsExactly(new Click("e3", "u3", "view", 3));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "null",
        "{\"id\":\"e1\",\"position\":\"not a number\"}",
        "{\"id\":\"e1\"",
        "[1,2,3]",
        "{\"id\":\"e1\"} trailing"
      })
  void malformedOrWronglyTypedInputFailsTheRecordWithoutItsContent(String json) {
    assertThatThrownBy(() -> collect(json))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageStartingWith("malformed JSON for Click")
        .hasMessageNotContaining("not a number");
  }

  @Test
  void aNullPayloadIsMalformed() {
    assertThatThrownBy(() -> collect(null)).isInstanceOf(MalformedRecordException.class);
  }

  @Test
  void wrongTypesNameTheField() {
    assertThatThrownBy(() -> collect("{\"id\":\"e1\",\"position\":\"x\"}"))
        .hasMessageContaining("position");
  }
}
