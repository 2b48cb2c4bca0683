package dev.collect.core.internal.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.DeadLetter;
import dev.collect.core.Envelope;
import dev.collect.core.MalformedRecordException;
import dev.collect.core.Violation;
import dev.collect.core.internal.json.Json;
import dev.collect.core.privacy.JsonPrivacy;
import dev.collect.core.spi.Failure;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Makes {@link DeadLetter}s from the original input of a failed record: bounded messages and stack
 * traces, the raw payload as received, and the pipeline's privacy rules applied to the payload, the
 * violations' values and the exception's message. The one place dead letters are built: the
 * runtime's, and through {@link dev.collect.core.PipelineContext#deadLetter} the components'.
 * Thread-safe.
 */
public final class DeadLetterFactory {
  static final int MAX_MESSAGE = 1000;
  static final int MAX_FRAMES = 12;
  static final int MAX_VALUE = 200;
  static final String MESSAGE_LEFT_OUT =
      "[left out: the payload is not JSON, so personal values cannot be told apart]";

  private final String pipeline;
  private final String version;
  private final String schemaVersion;
  private final JsonPrivacy privacy;
  private final ObjectMapper mapper = Json.mapper();

  /** {@code version}, {@code schemaVersion} and {@code privacy} may be null. */
  public DeadLetterFactory(
      String pipeline, String version, String schemaVersion, JsonPrivacy privacy) {
    this.pipeline = pipeline;
    this.version = version;
    this.schemaVersion = schemaVersion;
    this.privacy = privacy;
  }

  /**
   * The dead letter of {@code failure}, last failed at {@code now}; {@code headers}: the origin's,
   * or with tracing on, those plus the failure's trace context.
   */
  public DeadLetter create(Failure failure, Instant now, Map<String, String> headers) {
    Envelope<?> origin = failure.record();
    Throwable error = failure.cause();
    byte[] original = original(origin);
    String[] payload = payload(original);
    Map<String, Object> position =
        origin.position() == null ? Map.of() : origin.position().describe();
    return new DeadLetter(
        pipeline,
        version,
        schemaVersion,
        failure.component(),
        failure.stage(),
        failure.reason(),
        error == null ? null : error.getClass().getName(),
        error == null ? null : message(error, original),
        error == null ? null : frames(error),
        redact(failure.violations()),
        failure.retryable(),
        failure.attempts(),
        failure.firstFailure() == null ? now : failure.firstFailure(),
        now,
        origin.source(),
        position,
        key(origin, original),
        origin.eventTime(),
        origin.ingestTime(),
        headers,
        payload[0],
        payload[1]);
  }

  /** The original input as bytes, or null when there was none or it cannot be written. */
  private byte[] original(Envelope<?> origin) {
    if (origin.raw() != null) {
      return origin.raw();
    }
    Object value = origin.value();
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof CharSequence s) {
      return s.toString().getBytes(StandardCharsets.UTF_8);
    }
    try {
      return mapper.writeValueAsBytes(value);
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * The exception's message, bounded; with privacy rules, every value of a personal field of the
   * record is replaced, and a message about a record that is not JSON is left out, because its
   * personal values cannot be told apart, unless it is a {@link MalformedRecordException}'s, which
   * by that type's contract quotes nothing of the record.
   */
  private String message(Throwable error, byte[] original) {
    String text = error.getMessage();
    if (text == null || privacy == null || original == null) {
      return cut(text, MAX_MESSAGE);
    }
    try {
      return cut(privacy.redactValuesIn(text, original), MAX_MESSAGE);
    } catch (RuntimeException notJson) {
      return error instanceof MalformedRecordException ? cut(text, MAX_MESSAGE) : MESSAGE_LEFT_OUT;
    }
  }

  /**
   * The key as text, bounded; with privacy rules, a key that holds a personal value (a record keyed
   * by e-mail address) has it replaced, and the key of a record that is not JSON is left out.
   */
  private String key(Envelope<?> origin, byte[] original) {
    if (origin.key() == null) {
      return null;
    }
    String text = String.valueOf(origin.key());
    if (privacy != null && original != null) {
      try {
        text = privacy.redactValuesIn(text, original);
      } catch (RuntimeException notJson) {
        return null;
      }
    }
    return cut(text, MAX_VALUE);
  }

  /** Encoding and text of the original input. */
  private String[] payload(byte[] original) {
    byte[] bytes = original;
    if (bytes == null) {
      return new String[] {"none", null};
    }
    if (privacy != null) {
      try {
        bytes = privacy.redactJson(bytes);
      } catch (RuntimeException notJson) {
        // Personal data cannot be told apart in a payload that is not JSON: leave it out.
        return new String[] {"redacted", null};
      }
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return new String[] {"utf8", text};
    } catch (CharacterCodingException e) {
      return new String[] {"base64", Base64.getEncoder().encodeToString(bytes)};
    }
  }

  private List<Violation> redact(List<Violation> violations) {
    if (violations == null || violations.isEmpty()) {
      return List.of();
    }
    List<Violation> out = new ArrayList<>(violations.size());
    for (Violation v : violations) {
      String value = cut(v.invalidValue(), MAX_VALUE);
      if (privacy != null && value != null && privacy.covers(v.path())) {
        value = "[redacted]";
      }
      out.add(new Violation(v.path(), v.message(), value, v.rule()));
    }
    return out;
  }

  private static List<String> frames(Throwable error) {
    List<String> out = new ArrayList<>();
    for (Throwable t = error; t != null && out.size() < MAX_FRAMES; t = t.getCause()) {
      if (t != error) {
        out.add("caused by " + t.getClass().getName());
      }
      StackTraceElement[] stack = t.getStackTrace();
      for (int i = 0; i < stack.length && out.size() < MAX_FRAMES; i++) {
        out.add(stack[i].toString());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return out;
  }

  static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "...";
  }
}
