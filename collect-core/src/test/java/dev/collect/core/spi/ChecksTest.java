package dev.collect.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChecksTest {

  @Test
  void acceptedValuesAreReturned() {
    assertThat(Checks.positive("n", 3)).isEqualTo(3);
    assertThat(Checks.positive("n", 3L)).isEqualTo(3L);
    assertThat(Checks.notNegative("n", 0L)).isZero();
    assertThat(Checks.notBlank("s", "x")).isEqualTo("x");
    assertThat(Checks.positive("d", Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
    assertThat(Checks.notNegative("d", Duration.ZERO)).isEqualTo(Duration.ZERO);
  }

  @Test
  void rejectionsNameTheSettingAndTheValue() {
    assertThatThrownBy(() -> Checks.positive("maxBatchRecords", -3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBatchRecords must be > 0, but was -3");
    assertThatThrownBy(() -> Checks.positive("bytes", 0L))
        .hasMessage("bytes must be > 0, but was 0");
    assertThatThrownBy(() -> Checks.notNegative("offset", -1L))
        .hasMessage("offset must be >= 0, but was -1");
    assertThatThrownBy(() -> Checks.notBlank("name", " "))
        .hasMessage("name must not be blank, but was ' '");
    assertThatThrownBy(() -> Checks.positive("timeout", Duration.ZERO))
        .hasMessage("timeout must be > 0, but was PT0S");
    assertThatThrownBy(() -> Checks.positive("timeout", (Duration) null))
        .hasMessage("timeout must be > 0, but was null");
    assertThatThrownBy(() -> Checks.notNegative("linger", Duration.ofMillis(-1)))
        .hasMessage("linger must be >= 0, but was PT-0.001S");
  }

  @Test
  void boundsAndRangesNameTheSettingTheBoundAndTheValue() {
    assertThat(Checks.atLeast("segmentBytes", 4096L, 4096L)).isEqualTo(4096L);
    assertThat(Checks.inRange("port", 0, 0, 65535)).isZero();
    assertThat(Checks.inRangeExclusive("jitter", 0.0, 0.0, 1.0)).isZero();
    assertThatThrownBy(() -> Checks.atLeast("segmentBytes", 4095L, 4096L))
        .hasMessage("segmentBytes must be >= 4096, but was 4095");
    assertThatThrownBy(() -> Checks.atLeast("multiplier", 0.5, 1.0))
        .hasMessage("multiplier must be >= 1, but was 0.5");
    assertThatThrownBy(() -> Checks.atLeast("multiplier", Double.NaN, 1.0))
        .hasMessage("multiplier must be >= 1, but was NaN");
    assertThatThrownBy(() -> Checks.inRange("port", 65536, 0, 65535))
        .hasMessage("port must be in [0, 65535], but was 65536");
    assertThatThrownBy(() -> Checks.inRangeExclusive("jitter", 1.0, 0.0, 1.0))
        .hasMessage("jitter must be in [0, 1), but was 1.0");
  }

  @Test
  void textChecksShowLengthsOfStringsAndIdentifiersAsWritten() {
    assertThat(Checks.length("checkpoint key", "a", 1, 200)).isEqualTo("a");
    assertThat(Checks.matches("name", "orders_1", Pattern.compile("[a-z0-9_]+"), "x")).isNotNull();
    assertThat(Checks.notEmpty("eventId", " ")).isEqualTo(" ");
    assertThatThrownBy(() -> Checks.length("checkpoint key", "", 1, 200))
        .hasMessage("checkpoint key must be 1 to 200 characters, but was 0 characters");
    assertThatThrownBy(() -> Checks.length("checkpoint key", null, 1, 200))
        .hasMessage("checkpoint key must be 1 to 200 characters, but was null");
    assertThatThrownBy(
            () -> Checks.matches("name", "Orders", Pattern.compile("[a-z]+"), "lowercase letters"))
        .hasMessage("name must be lowercase letters, but was 'Orders'");
    assertThatThrownBy(() -> Checks.notEmpty("eventId", ""))
        .hasMessage("eventId must not be empty, but was ");
    assertThatThrownBy(() -> Checks.atLeastBytes("hmacKey", new byte[15], 16))
        .hasMessage("hmacKey must have at least 16 bytes, but had 15");
  }

  @Test
  void doubleChecksRejectNaN() {
    assertThat(Checks.positive("threshold", 0.1)).isEqualTo(0.1);
    assertThat(Checks.inRange("untracedRatio", 1.0, 0.0, 1.0)).isEqualTo(1.0);
    assertThatThrownBy(() -> Checks.positive("threshold", Double.NaN))
        .hasMessage("threshold must be > 0, but was NaN");
    assertThatThrownBy(() -> Checks.inRange("untracedRatio", 1.5, 0.0, 1.0))
        .hasMessage("untracedRatio must be in [0, 1], but was 1.5");
  }
}
