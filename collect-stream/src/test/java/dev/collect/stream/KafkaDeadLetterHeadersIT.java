package dev.collect.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.collect.core.DeadLetter;
import dev.collect.core.DeadLetterSink;
import dev.collect.core.PipelineContext;
import dev.collect.core.Stage;
import dev.collect.core.Violation;
import dev.collect.stream.support.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Kafka#deadLetterSink}: one record per dead letter, the original bytes as value, the
 * original key and headers, and exactly the {@code __collect.errors.*} headers the README lists.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaDeadLetterHeadersIT {

  @Test
  void aDeadLetterRecordCarriesTheOriginalKeyValueHeadersAndEveryFailureHeader() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = "dlq-headers-" + System.nanoTime();
    broker.createTopic(topic, 1);
    byte[] original = {(byte) 0xC3, (byte) 0x28, '1'};
    Instant first = Instant.parse("2026-01-01T00:00:00Z");
    Instant last = first.plusSeconds(3);
    Map<String, Object> position = new LinkedHashMap<>();
    position.put("topic", "clicks");
    position.put("partition", 2);
    position.put("offset", 41L);
    DeadLetter letter =
        new DeadLetter(
            "clicks-pipeline",
            null,
            null,
            "json",
            Stage.VALIDATE,
            "invalid",
            "dev.collect.core.RejectedRecordException",
            "userId must not be blank",
            List.of("at a.B.c(B.java:1)", "at d.E.f(E.java:2)"),
            List.of(new Violation("userId", "must not be blank", "", "NotBlank")),
            false,
            3,
            first,
            last,
            "kafka",
            position,
            "user-7",
            first.minusSeconds(60),
            first.minusSeconds(1),
            Map.of(
                "traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "x-app",
                "web"),
            "base64",
            Base64.getEncoder().encodeToString(original));
    DeadLetterSink sink =
        Kafka.deadLetterSink(
            KafkaSinkConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .build());

    sink.open(new PipelineContext("clicks-pipeline", new SimpleMeterRegistry(), null));
    try {
      sink.write(List.of(letter, withVersions(letter, "2.1", "click-v3")));
      sink.flush();
    } finally {
      sink.close();
    }
    List<ConsumerRecord<byte[], byte[]>> records = broker.readToEnd(topic);

    assertThat(records).hasSize(2);
    ConsumerRecord<byte[], byte[]> record = records.get(0);
    assertThat(record.value()).isEqualTo(original);
    assertThat(record.key()).isEqualTo("user-7".getBytes(StandardCharsets.UTF_8));
    Map<String, String> headers = new TreeMap<>();
    for (Header h : record.headers()) {
      assertThat(headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)))
          .as("header %s appears once", h.key())
          .isNull();
    }
    String p = Kafka.ERROR_HEADER_PREFIX;
    assertThat(p).isEqualTo("__collect.errors.");
    Map<String, String> expected = new TreeMap<>();
    expected.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    expected.put("x-app", "web");
    expected.put(p + "pipeline", "clicks-pipeline");
    expected.put(p + "component", "json");
    expected.put(p + "stage", "validate");
    expected.put(p + "reason", "invalid");
    expected.put(p + "exception.class.name", "dev.collect.core.RejectedRecordException");
    expected.put(p + "exception.message", "userId must not be blank");
    expected.put(p + "exception.stacktrace", "at a.B.c(B.java:1)\nat d.E.f(E.java:2)");
    expected.put(
        p + "violations",
        "[{\"path\":\"userId\",\"message\":\"must not be blank\",\"invalidValue\":\"\","
            + "\"rule\":\"NotBlank\"}]");
    expected.put(p + "retryable", "false");
    expected.put(p + "attempts", "3");
    expected.put(p + "first.failure", "2026-01-01T00:00:00Z");
    expected.put(p + "last.failure", "2026-01-01T00:00:03Z");
    expected.put(p + "source", "kafka");
    expected.put(p + "position.topic", "clicks");
    expected.put(p + "position.partition", "2");
    expected.put(p + "position.offset", "41");
    expected.put(p + "event.time", "2025-12-31T23:59:00Z");
    expected.put(p + "ingest.time", "2025-12-31T23:59:59Z");
    expected.put(p + "payload.encoding", "base64");
    assertThat(headers).containsExactlyEntriesOf(expected);
    // A pipeline that declares its versions adds them; the rest is the same.
    expected.put(p + "pipeline.version", "2.1");
    expected.put(p + "schema.version", "click-v3");
    assertThat(headersOf(records.get(1))).containsExactlyEntriesOf(expected);
    assertThat(records.get(1).value()).isEqualTo(original);
  }

  private static Map<String, String> headersOf(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new TreeMap<>();
    for (Header h : record.headers()) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static DeadLetter withVersions(DeadLetter l, String pipelineVersion, String schema) {
    return new DeadLetter(
        l.pipeline(),
        pipelineVersion,
        schema,
        l.component(),
        l.stage(),
        l.reason(),
        l.errorClass(),
        l.errorMessage(),
        l.stackTrace(),
        l.violations(),
        l.retryable(),
        l.attempts(),
        l.firstFailure(),
        l.lastFailure(),
        l.source(),
        l.position(),
        l.key(),
        l.eventTime(),
        l.ingestTime(),
        l.headers(),
        l.payloadEncoding(),
        l.payload());
  }
}
