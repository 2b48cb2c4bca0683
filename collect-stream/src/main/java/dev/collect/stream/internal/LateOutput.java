package dev.collect.stream.internal;

import dev.collect.core.DeadLetter;
import dev.collect.core.Envelope;
import dev.collect.core.PipelineContext;
import dev.collect.core.Stage;
import dev.collect.stream.LateRecordException;
import dev.collect.stream.LateRecords;
import io.micrometer.core.instrument.Counter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Carries out a {@link LateRecords} policy and counts late records ({@code collect.stream.late}).
 */
final class LateOutput<T> {
  private final LateRecords<T> policy;
  private String pipeline = "pipeline";
  private Counter counter;

  LateOutput(LateRecords<T> policy) {
    this.policy = policy;
  }

  void open(PipelineContext context) {
    pipeline = context.pipeline();
    counter =
        Counter.builder("collect.stream.late")
            .description("Records too late for every window they belong to")
            .tag(dev.collect.core.MetricNames.TAG_PIPELINE, context.pipeline())
            .register(context.meterRegistry());
    if (policy instanceof LateRecords.ToSink<T> toSink) {
      try {
        toSink.sink().open(context);
      } catch (Exception e) {
        throw new IllegalStateException("the late-records sink did not open", e);
      }
    }
  }

  void handle(Envelope<T> record, Instant eventTime, Instant watermark) throws Exception {
    if (counter != null) {
      counter.increment();
    }
    LateRecordException late = new LateRecordException(eventTime, watermark);
    if (policy instanceof LateRecords.ToPipelineDeadLetters<T>) {
      throw late;
    } else if (policy instanceof LateRecords.ToDeadLetterSink<T> toDeadLetters) {
      toDeadLetters.sink().write(List.of(letter(record, late)));
    } else if (policy instanceof LateRecords.ToSink<T> toSink) {
      toSink.sink().write(List.of(record));
      toSink.sink().flush();
    }
    // Discard: counted above.
  }

  private DeadLetter letter(Envelope<T> record, LateRecordException late) {
    String encoding = "none";
    String payload = null;
    if (record.raw() != null) {
      try {
        payload =
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(record.raw())).toString();
        encoding = "utf8";
      } catch (CharacterCodingException e) {
        payload = Base64.getEncoder().encodeToString(record.raw());
        encoding = "base64";
      }
    }
    Instant now = Instant.now();
    return new DeadLetter(
        pipeline,
        null,
        null,
        "window",
        Stage.COLLECT,
        "late",
        LateRecordException.class.getName(),
        late.getMessage(),
        null,
        List.of(),
        false,
        1,
        now,
        now,
        record.source(),
        record.position() == null ? java.util.Map.of() : record.position().describe(),
        record.key() == null ? null : String.valueOf(record.key()),
        record.eventTime(),
        record.ingestTime(),
        record.headers(),
        encoding,
        payload);
  }
}
