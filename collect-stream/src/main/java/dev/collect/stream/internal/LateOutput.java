package dev.collect.stream.internal;

import dev.collect.core.CollectException;
import dev.collect.core.Envelope;
import dev.collect.core.MetricNames;
import dev.collect.core.PipelineContext;
import dev.collect.core.Stage;
import dev.collect.core.spi.Failure;
import dev.collect.stream.LateRecordException;
import dev.collect.stream.LateRecords;
import dev.collect.stream.StreamMetricNames;
import io.micrometer.core.instrument.Counter;
import java.time.Instant;
import java.util.List;

/**
 * Carries out a {@link LateRecords} policy and counts late records ({@code collect.stream.late}).
 */
final class LateOutput<T> {
  private final LateRecords<T> policy;
  private PipelineContext context;
  private Counter counter;

  LateOutput(LateRecords<T> policy) {
    this.policy = policy;
  }

  void open(PipelineContext context) {
    this.context = context;
    counter =
        Counter.builder(StreamMetricNames.LATE)
            .description("Records too late for every window they belong to")
            .tag(MetricNames.TAG_PIPELINE, context.pipeline())
            .register(context.meterRegistry());
    if (policy instanceof LateRecords.ToSink<T> toSink) {
      try {
        toSink.sink().open(context);
      } catch (Exception e) {
        throw new CollectException("the late-records sink did not open", e);
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
      toDeadLetters
          .sink()
          .write(
              List.of(
                  context.deadLetter(Failure.of(record, "window", Stage.COLLECT, "late", late))));
    } else if (policy instanceof LateRecords.ToSink<T> toSink) {
      toSink.sink().write(List.of(record));
      toSink.sink().flush();
    }
    // Discard: counted above.
  }
}
