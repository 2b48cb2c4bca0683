package dev.collect.stream.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.collect.core.DeadLetter;
import dev.collect.core.DeadLetterSink;
import dev.collect.stream.KafkaSinkConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes each dead letter to a topic the way Kafka Connect's dead-letter queue does: the original
 * bytes as the value, the record's key as the key, and the failure in {@code __collect.errors.*}
 * headers (next to the record's own headers). {@code write} returns once the broker acknowledged
 * every letter. Thread-safe.
 */
public final class KafkaDeadLetterSinkImpl extends ProducerSink implements DeadLetterSink {
  /** The prefix of the failure headers. */
  public static final String PREFIX = "__collect.errors.";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public KafkaDeadLetterSinkImpl(KafkaSinkConfig config) {
    super(config);
  }

  @Override
  public void write(List<DeadLetter> letters) throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>(letters.size());
    for (DeadLetter letter : letters) {
      byte[] key = letter.key() == null ? null : letter.key().getBytes(StandardCharsets.UTF_8);
      byte[] value = "none".equals(letter.payloadEncoding()) ? null : letter.payloadBytes();
      sent.add(
          producer.send(
              new ProducerRecord<>(config.topic(), null, null, key, value, headers(letter))));
    }
    for (Future<RecordMetadata> future : sent) {
      future.get();
    }
  }

  static RecordHeaders headers(DeadLetter letter) throws Exception {
    RecordHeaders headers = new RecordHeaders();
    letter.headers().forEach((k, v) -> add(headers, k, v));
    add(headers, PREFIX + "pipeline", letter.pipeline());
    add(headers, PREFIX + "pipeline.version", letter.pipelineVersion());
    add(headers, PREFIX + "schema.version", letter.schemaVersion());
    add(headers, PREFIX + "component", letter.component());
    add(headers, PREFIX + "stage", letter.stage() == null ? null : letter.stage().tag());
    add(headers, PREFIX + "reason", letter.reason());
    add(headers, PREFIX + "exception.class.name", letter.errorClass());
    add(headers, PREFIX + "exception.message", letter.errorMessage());
    if (letter.stackTrace() != null) {
      add(headers, PREFIX + "exception.stacktrace", String.join("\n", letter.stackTrace()));
    }
    if (!letter.violations().isEmpty()) {
      add(headers, PREFIX + "violations", MAPPER.writeValueAsString(letter.violations()));
    }
    add(headers, PREFIX + "retryable", String.valueOf(letter.retryable()));
    add(headers, PREFIX + "attempts", String.valueOf(letter.attempts()));
    add(headers, PREFIX + "first.failure", str(letter.firstFailure()));
    add(headers, PREFIX + "last.failure", str(letter.lastFailure()));
    add(headers, PREFIX + "source", letter.source());
    letter.position().forEach((k, v) -> add(headers, PREFIX + "position." + k, String.valueOf(v)));
    add(headers, PREFIX + "event.time", str(letter.eventTime()));
    add(headers, PREFIX + "ingest.time", str(letter.ingestTime()));
    add(headers, PREFIX + "payload.encoding", letter.payloadEncoding());
    return headers;
  }

  private static String str(Object value) {
    return value == null ? null : value.toString();
  }

  private static void add(RecordHeaders headers, String key, String value) {
    if (value != null) {
      headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
