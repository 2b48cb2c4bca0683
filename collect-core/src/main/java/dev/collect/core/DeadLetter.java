package dev.collect.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A record that could not be written, with everything needed to understand and replay it. Written
 * as JSON by {@link DeadLetterSink#jsonLines(java.nio.file.Path)} with these field names, in this
 * order; {@code payload} is the original input as the source received it (UTF-8 text, or base64
 * when {@code payloadEncoding} is {@code base64}), not a half-transformed value.
 *
 * @param pipeline the pipeline's name
 * @param pipelineVersion the pipeline's version, as configured
 * @param schemaVersion the record schema's version, as configured
 * @param component the failing source, collector, validator, transform or sink
 * @param stage where it failed
 * @param reason a short, stable reason: {@code malformed}, {@code invalid}, {@code rejected},
 *     {@code late}, {@code transform_failed}...
 * @param errorClass the exception's class, or null for validation failures
 * @param errorMessage the exception's message, or null. With {@link
 *     PipelineBuilder#deadLetterPrivacy} set, every value of a personal field of the record (as it
 *     appears in the payload, as text) is replaced by {@code [redacted]} in it, and the message is
 *     left out when the payload is not JSON (personal values cannot be told apart there), unless
 *     the error is a {@link MalformedRecordException}, whose message never quotes the record.
 *     Without dead-letter privacy the message is kept as thrown: code that puts record contents
 *     into exception messages puts them here too
 * @param stackTrace the first frames of the stack, or null
 * @param violations validation violations, empty if none
 * @param retryable whether trying again later might succeed
 * @param attempts how many times the failing step was tried
 * @param firstFailure when it first failed
 * @param lastFailure when it last failed
 * @param source the source's name
 * @param position where in the source: topic/partition/offset, file/line, LSN...
 * @param key the record's key as text, or null. With dead-letter privacy, personal values in it are
 *     replaced as in {@code errorMessage}, and it is left out when the payload is not JSON
 * @param eventTime the event time, or null
 * @param ingestTime when the record entered the pipeline
 * @param headers the source's headers
 * @param payloadEncoding {@code utf8}, {@code base64} or {@code none}
 * @param payload the original input
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({
  "pipeline",
  "pipelineVersion",
  "schemaVersion",
  "component",
  "stage",
  "reason",
  "errorClass",
  "errorMessage",
  "stackTrace",
  "violations",
  "retryable",
  "attempts",
  "firstFailure",
  "lastFailure",
  "source",
  "position",
  "key",
  "eventTime",
  "ingestTime",
  "headers",
  "payloadEncoding",
  "payload"
})
public record DeadLetter(
    String pipeline,
    String pipelineVersion,
    String schemaVersion,
    String component,
    Stage stage,
    String reason,
    @Nullable String errorClass,
    @Nullable String errorMessage,
    @Nullable List<String> stackTrace,
    List<Violation> violations,
    boolean retryable,
    int attempts,
    Instant firstFailure,
    Instant lastFailure,
    String source,
    Map<String, Object> position,
    @Nullable String key,
    @Nullable Instant eventTime,
    Instant ingestTime,
    Map<String, String> headers,
    String payloadEncoding,
    String payload) {

  /**
   * The trace id of the record's trace, from the {@code traceparent} in {@link #headers()} (the
   * source's, or the dead-letter span's when the pipeline has observations), or null without one.
   * Not a JSON field of its own: the JSON has it in {@code headers}.
   */
  public @Nullable String traceId() {
    return TraceHeaders.traceId(headers);
  }

  /** The payload as bytes: decoded from base64 or UTF-8; empty when there was none. */
  public byte[] payloadBytes() {
    if (payload == null) {
      return new byte[0];
    }
    return "base64".equals(payloadEncoding)
        ? java.util.Base64.getDecoder().decode(payload)
        : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
