package dev.collect.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceContextTest {
  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private static Map<String, String> from(String traceparent, String tracestate) {
    Map<String, String> headers = new HashMap<>();
    headers.put("traceparent", traceparent);
    headers.put("tracestate", tracestate);
    return TraceContext.from(headers::get);
  }

  @Test
  void takesAValidTraceparentWithItsTracestate() {
    assertThat(from(VALID, "rojo=00f067aa0ba902b7"))
        .isEqualTo(Map.of("traceparent", VALID, "tracestate", "rojo=00f067aa0ba902b7"));
    assertThat(from(" " + VALID + " ", null)).isEqualTo(Map.of("traceparent", VALID));
    // A later version may append fields; version 00 may not.
    assertThat(from("01" + VALID.substring(2) + "-future", null)).containsKey("traceparent");
  }

  @Test
  void ignoresAnInvalidTraceparentAndThenItsTracestateToo() {
    assertThat(from(null, "rojo=1")).isEmpty();
    assertThat(from("ff" + VALID.substring(2), "rojo=1")).isEmpty();
    assertThat(from(VALID + "-extra", "rojo=1")).isEmpty();
    assertThat(from(VALID.toUpperCase(java.util.Locale.ROOT), "rojo=1")).isEmpty();
    assertThat(from("00-00000000000000000000000000000000-00f067aa0ba902b7-01", null)).isEmpty();
    assertThat(from("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", null)).isEmpty();
    assertThat(from("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", null)).isEmpty();
  }

  @Test
  void dropsATracestateLongerThan512Characters() {
    String longest = "a=" + "b".repeat(510);

    assertThat(from(VALID, longest)).containsEntry("tracestate", longest);
    assertThat(from(VALID, longest + "b")).isEqualTo(Map.of("traceparent", VALID));
  }
}
