package dev.collect.stream.internal;

import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The W3C Trace Context headers of a webhook request or MQTT 5 message, as envelope headers under
 * the same names, so a tracing layer can continue the sender's trace. A {@code traceparent} is
 * taken only in the form the W3C recommendation defines (version other than {@code ff}, non-zero
 * trace and parent ids); {@code tracestate} only beside a valid {@code traceparent} and when at
 * most {@value #MAX_TRACESTATE} characters long (the size the recommendation asks every vendor to
 * propagate).
 */
final class TraceContext {
  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";
  static final int MAX_TRACESTATE = 512;

  private static final Pattern TRACEPARENT_FORM =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?");

  private TraceContext() {}

  /** The headers to put on each envelope of the request; empty when it carries no valid context. */
  static Map<String, String> from(UnaryOperator<String> header) {
    String parent = header.apply(TRACEPARENT);
    if (parent == null) {
      return Map.of();
    }
    parent = parent.strip();
    var m = TRACEPARENT_FORM.matcher(parent);
    if (!m.matches()
        || m.group(1).equals("ff")
        || (m.group(1).equals("00") && m.group(4) != null)
        || m.group(2).chars().allMatch(c -> c == '0')
        || m.group(3).chars().allMatch(c -> c == '0')) {
      return Map.of();
    }
    String state = header.apply(TRACESTATE);
    if (state == null || state.isBlank() || state.length() > MAX_TRACESTATE) {
      return Map.of(TRACEPARENT, parent);
    }
    return Map.of(TRACEPARENT, parent, TRACESTATE, state.strip());
  }
}
