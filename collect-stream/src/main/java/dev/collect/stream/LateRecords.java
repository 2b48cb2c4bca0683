package dev.collect.stream;

import dev.collect.core.DeadLetterSink;
import dev.collect.core.Sink;
import java.util.Objects;

/**
 * What a windowing collector does with a record too late for every window it belongs to. Never a
 * silent drop: even {@link #discard()} is counted ({@code collect.stream.late}, and as filtered in
 * the run report).
 *
 * @param <T> the record type
 */
public sealed interface LateRecords<T> {

  /**
   * Default: fail the record with a {@link LateRecordException}, which the pipeline sends to its
   * dead-letter sink with reason {@code late} (error class {@code LateRecordException}; the run
   * report counts it as dead-lettered).
   */
  static <T> LateRecords<T> toDeadLetters() {
    return new ToPipelineDeadLetters<>();
  }

  /**
   * Writes a dead letter with reason {@code late} to {@code sink} (usually the pipeline's own
   * dead-letter sink, which the pipeline then opens and flushes before it commits). The run report
   * counts the record as filtered.
   */
  static <T> LateRecords<T> toDeadLetters(DeadLetterSink sink) {
    return new ToDeadLetterSink<>(Objects.requireNonNull(sink, "sink"));
  }

  /**
   * Writes the late record, unchanged, to a side-output sink that this collector opens, flushes
   * after each write and closes never (close it yourself). The run report counts it as filtered.
   */
  static <T> LateRecords<T> to(Sink<T> sideOutput) {
    return new ToSink<>(Objects.requireNonNull(sideOutput, "sideOutput"));
  }

  /** Counts and drops late records. */
  static <T> LateRecords<T> discard() {
    return new Discard<>();
  }

  /** See {@link #toDeadLetters()}. */
  record ToPipelineDeadLetters<T>() implements LateRecords<T> {}

  /** See {@link #toDeadLetters(DeadLetterSink)}. */
  record ToDeadLetterSink<T>(DeadLetterSink sink) implements LateRecords<T> {}

  /** See {@link #to(Sink)}. */
  record ToSink<T>(Sink<T> sink) implements LateRecords<T> {}

  /** See {@link #discard()}. */
  record Discard<T>() implements LateRecords<T> {}
}
