package dev.collect.eventstore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppendsTextTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "order-42",
        "ünïcødé-流",
        "emoji \uD83D\uDE00 pair",
        "\uD83D\uDE00",
        "ends with a pair \uD83D\uDE00"
      })
  void textUtf8CanEncodeIsWellFormed(String text) {
    assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(text)).isTrue();
    assertThat(Appends.wellFormed(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "nul\u0000inside",
        "\u0000",
        "lone high at the end \uD800",
        "lone high \uD800 then text",
        "\uDC00 lone low first",
        "reversed pair \uDE00\uD83D",
        "two highs \uD83D\uD83D\uDE00x\uD83D"
      })
  void nulAndLoneSurrogatesAreNot(String text) {
    assertThat(Appends.wellFormed(text)).isFalse();
  }
}
