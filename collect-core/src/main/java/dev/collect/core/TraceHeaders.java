package dev.collect.core;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The W3C Trace Context header names under which sources put a record's trace context into {@link
 * Envelope#headers()} (Kafka headers, HTTP headers, MQTT 5 user properties), and where a pipeline
 * with {@link PipelineBuilder#observations observations} finds it. Stateless and thread-safe.
 */
public final class TraceHeaders {
  /** {@code traceparent}: version, trace id, parent span id and flags. */
  public static final String TRACEPARENT = "traceparent";

  /** {@code tracestate}: vendor-specific trace data. */
  public static final String TRACESTATE = "tracestate";

  private TraceHeaders() {}

  /**
   * The 32-hex-digit trace id of a {@code traceparent} in {@code headers}, or null when there is
   * none or it is not of the form {@code 00-<32 hex>-<16 hex>-<2 hex>}.
   */
  public static @Nullable String traceId(Map<String, String> headers) {
    String value = headers == null ? null : headers.get(TRACEPARENT);
    if (value == null || value.length() < 55 || value.charAt(2) != '-' || value.charAt(35) != '-') {
      return null;
    }
    String id = value.substring(3, 35);
    for (int i = 0; i < id.length(); i++) {
      if (Character.digit(id.charAt(i), 16) < 0) {
        return null;
      }
    }
    return id;
  }
}
